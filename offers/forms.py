"""Forms for offers. They only collect what a person typed; offers.terms checks it (one set of rules
for the pages and the API), and its refusals are shown on these forms."""

from __future__ import annotations

from django import forms

from marketplace.models import ContractType
from marketplace.models.money import Currency
from offers.models import Offer
from offers.terms import MAX_MESSAGE, MAX_SCOPE, Terms

AMOUNT = {"inputmode": "decimal", "autocomplete": "off"}


class TermsForm(forms.Form):
    contract_type = forms.ChoiceField(choices=ContractType.choices, widget=forms.RadioSelect, label="Contract type")
    currency = forms.ChoiceField(choices=Currency.choices, initial="USD", required=False)
    hourly_rate = forms.CharField(required=False, label="Hourly rate", widget=forms.TextInput(attrs=AMOUNT))
    weekly_limit = forms.CharField(
        required=False, label="Weekly hour limit", widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    fixed_amount = forms.CharField(required=False, label="Fixed price (total)", widget=forms.TextInput(attrs=AMOUNT))
    start_date = forms.CharField(required=False, label="Start date", widget=forms.DateInput(attrs={"type": "date"}))
    scope = forms.CharField(required=False, max_length=MAX_SCOPE, widget=forms.Textarea(attrs={"rows": 5}))
    message = forms.CharField(
        required=False,
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Message",
        help_text="What you want the other side to know; required when you ask for changes.",
    )

    def __init__(self, *args, fixed_currency: bool = False, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        if fixed_currency:
            del self.fields["currency"]

    def terms(self, milestones: list[dict]) -> dict:
        data = {key: self.cleaned_data.get(key) for key in self.fields if key != "message"}
        data["milestones"] = milestones if data.get("contract_type", ContractType.FIXED) == ContractType.FIXED else []
        return data


class MilestoneForm(forms.Form):
    title = forms.CharField(required=False, max_length=120)
    amount = forms.CharField(required=False, widget=forms.TextInput(attrs=AMOUNT))
    due_date = forms.CharField(required=False, label="Due", widget=forms.DateInput(attrs={"type": "date"}))


MilestoneFormSet = forms.formset_factory(MilestoneForm, extra=2, max_num=20)


def milestone_rows(formset) -> list[dict]:  # noqa: ANN001
    """The rows a person filled in (blank rows are left out)."""
    rows = []
    for form in formset.forms:
        data = form.cleaned_data if form.is_valid() else {}
        if any((data.get("title"), data.get("amount"), data.get("due_date"))):
            rows.append({"title": data.get("title"), "amount": data.get("amount"), "due_date": data.get("due_date")})
    return rows


def initial_from(terms: Terms) -> tuple[dict, list[dict]]:
    data = terms.as_json()
    milestones = data.pop("milestones")
    return data, milestones


class WithdrawForm(forms.Form):
    reason = forms.ChoiceField(choices=Offer.WithdrawReason.choices, label="Why are you withdrawing it?")
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Anything to add")


class DeclineForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Why are you declining?")


class ReportForm(forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="What is wrong with this offer?")
