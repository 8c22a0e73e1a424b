"""job_post_questions and job_post_draft: gold is valid and grounded; the checks refuse a question about
something already said, a skill outside the taxonomy's list, a budget or a number nobody gave."""

import random

import pytest

from uma.llm.runner import task_spec
from uma.task_specs.job_post_draft import DraftInput, DraftOutput, agrees, budget_fits, fallback, title_of, vary
from uma.task_specs.job_post_questions import QuestionsInput, QuestionsOutput
from uma.task_specs.job_post_questions import fallback as ask
from uma.task_specs.job_post_questions import ground as ground_questions
from uma.training.data import gold

NEED = DraftInput.model_validate(
    {
        "need": "need someone to fix our Shopify checkout, it drops orders",
        "answers": [{"topic": "timeline", "question": "When?", "answer": "within 2 weeks"}],
        "kind_of_work": "Ecommerce & CMS",
        "skills": ["Shopify"],
        "stated": {"duration": "lt1m"},
        "market": [{"contract_type": "fixed", "low": "300", "median": "430", "high": "540", "sample": 26}],
    }
)


def draft(**changes) -> DraftOutput:
    data = fallback(NEED).model_dump() | changes
    return DraftOutput.model_validate(data)


@pytest.mark.parametrize(
    ("task", "at_least"),
    [("job_post_questions", 20), ("job_post_draft", 20), ("interview_questions", 22), ("interview_assessment", 28)],
)
def test_gold_is_valid_grounded_and_answered_by_the_rules(task, at_least):
    """The rules' answer is grounded for every gold input and, where accuracy is a definition (skills
    named, terms kept), meets it. An interview's verdict is a judgement: there gold records a person's,
    which the rules reach on most but not all (a skill described but never named: "rewrote the pages around
    the words customers search for" for SEO Writing). They teach the synthetic data, so they must be close."""
    examples = gold(task)
    assert len(examples) >= at_least
    spec = task_spec(task)
    agreed = []
    for example in examples:
        inputs = spec.input_model.model_validate(example.input)
        expected = spec.output_model.model_validate(example.output)
        agreed.append(spec.agrees(inputs, expected, spec.fallback(inputs)))
        assert agreed[-1] or task == "interview_assessment", example.id
        assert spec.ground(inputs, spec.fallback(inputs)).grounded, example.id
    assert sum(agreed) / len(agreed) >= 0.85, [e.id for e, ok in zip(examples, agreed, strict=True) if not ok]


def test_a_question_about_something_already_said_is_refused():
    inputs = QuestionsInput(
        need="Fix our Shopify checkout by Friday, $500 fixed", open_topics=["scope", "deliverables"]
    )
    asked = QuestionsOutput.model_validate(
        {
            "questions": [
                {"topic": "scope", "text": "Which step fails?"},
                {"topic": "budget", "text": "What is your budget?"},
            ]
        }
    )
    report = ground_questions(inputs, asked)
    assert not report.grounded and "topic:budget (already said)" in report.unsupported
    twice = QuestionsOutput.model_validate(
        {"questions": [{"topic": "scope", "text": "Which step fails?"}, {"topic": "scope", "text": "What else?"}]}
    )
    assert "the same topic asked twice" in ground_questions(inputs, twice).unsupported
    invented = QuestionsOutput.model_validate(
        {"questions": [{"topic": "scope", "text": "Is it the Magento plugin from 2019?"}]}
    )
    assert {"Magento", "2019"} <= set(ground_questions(inputs, invented).unsupported)


def test_an_empty_request_gets_asked_what_the_work_is():
    out = ask(
        QuestionsInput(need="", open_topics=["scope", "deliverables", "timeline", "experience", "budget"], thin=True)
    )
    assert [q.topic for q in out.questions] == ["scope", "deliverables", "timeline", "experience"]
    assert out.questions[0].text.startswith("What do you need done?")


def test_the_questions_fit_the_kind_of_work():
    design = ask(QuestionsInput(need="A logo", kind_of_work="Design & creative", open_topics=["deliverables"]))
    software = ask(
        QuestionsInput(need="A fix", kind_of_work="Web, mobile & software development", open_topics=["deliverables"])
    )
    assert "source files" in design.questions[0].text and "repository" in software.questions[0].text


def test_the_draft_keeps_to_the_taxonomy_tandems_terms_and_the_clients_numbers():
    assert task_spec("job_post_draft").ground(NEED, draft()).grounded
    for changes, unsupported in [
        ({"skills": ["Shopify", "Magento"]}, "skill:Magento"),
        ({"budget_max": "999"}, "budget_max:999 (Tandem's terms: 540)"),
        ({"budget_min": None, "budget_max": None}, "budget_min:None (Tandem's terms: 300)"),
        ({"contract_type": "hourly"}, "contract_type:hourly (Tandem's terms: fixed)"),
        ({"duration": "gt6m"}, "duration:gt6m (Tandem's terms: lt1m)"),
        ({"description": "We need the checkout fixed within 3 days, it loses 40 orders a day."}, "40"),
    ]:
        report = task_spec("job_post_draft").ground(NEED, draft(**changes))
        assert unsupported in report.unsupported, changes


def test_the_prompt_states_tandems_terms_for_the_model_to_copy():
    """A 135M model cannot be trusted to work out the contract type and budget (job_post_draft/1's adapter
    chose them wrongly in 41 of 100 held-out drafts): Tandem decides them and the prompt says so."""
    text = task_spec("job_post_draft").prompt(NEED)[-1]["content"]
    assert "contract_type: fixed\nbudget_min: 300\nbudget_max: 540\nduration: lt1m\n" in text
    assert (
        "experience_level: intermediate\nBudget from: the market's range on Tandem, USD in total, 26 contracts" in text
    )
    # Only a ceiling: the model is told which field it is, not a bare figure.
    stated = NEED.model_copy(update={"stated": NEED.stated.model_copy(update={"budget_max": 250})})
    text = task_spec("job_post_draft").prompt(stated)[-1]["content"]
    assert "budget_min: null\nbudget_max: 250\n" in text and "Budget from: the client's own figures, in total" in text
    bare = NEED.model_copy(update={"market": []})
    text = task_spec("job_post_draft").prompt(bare)[-1]["content"]
    assert "budget_min: null\nbudget_max: null\n" in text and "Budget from: no figures" in text


def test_the_prompt_states_the_deliverables_for_the_model_to_copy():
    """job_post_draft/2's adapter chose deliverables from memory, sometimes another kind of work's (a bookkeeper's
    post promising "Working code in our repository"): the prompt now states the client's own, else the usual
    ones for the kind of work, as it states the terms."""
    speed = _about("Fix WordPress site speed", "Ecommerce & CMS", "A faster site, plus a list of changes")
    text = task_spec("job_post_draft").prompt(speed)[-1]["content"]
    assert "\nDeliverables: A faster site; A list of changes" in text
    books = _about("Bookkeeper to reconcile 12 months of bank statements in Xero", "Admin & support")
    text = task_spec("job_post_draft").prompt(books)[-1]["content"]
    assert "\nDeliverables: The agreed work, done and checked" in text and "repository" not in text
    assert fallback(books).deliverables == ["The agreed work, done and checked"]


def test_the_prompt_gives_each_answer_under_its_label_without_umas_question():
    """job_post_draft/3's adapter put answers under the wrong label in 3 of its 6 refused drafts (the timeline
    under "Scope:", the scope under "Timeline:"): each answer now comes under the label its line carries.
    /4's copied Uma's questions into posts: they are not the client's words, and are left out."""
    answers = [
        *NEED.model_dump()["answers"],
        {"topic": "scope", "question": "Which step fails?", "answer": "payment"},
        {"topic": "contract_type", "question": "Hourly or fixed?", "answer": "fixed"},
    ]
    inputs = DraftInput.model_validate(NEED.model_dump() | {"answers": answers})
    text = task_spec("job_post_draft").prompt(inputs)[-1]["content"]
    assert "<<<answers\nTimeline: within 2 weeks\nScope: payment\nContract type: fixed\n>>>" in text
    assert "When?" not in text and "Which step fails?" not in text


def test_a_varied_example_keeps_terms_a_draft_can_meet():
    """The "stated budget" variation set a ceiling under the floor the request had stated ("budget
    $715-1020" with a ceiling of 280): 3 of 100 held-out drafts that no answer could agree with."""
    data = NEED.model_dump(mode="json") | {"need": "AWS cost review, budget $715-1020, fixed price"}
    data["stated"] |= {"contract_type": "fixed", "budget_min": "715", "budget_max": "1020"}
    varied = DraftInput.model_validate(vary(data, random.Random(0), {"stated_budget": 1}))  # noqa: S311
    assert varied.stated.budget_min is None and varied.stated.budget_max == 430
    assert agrees(varied, fallback(varied), fallback(varied))


def test_accuracy_needs_the_skills_named_and_a_budget_inside_the_range():
    assert agrees(NEED, draft(), fallback(NEED))
    assert not agrees(NEED, draft(skills=[]), fallback(NEED))
    assert not budget_fits(NEED, draft(budget_min="200", budget_max="540"))  # below the market's 25th percentile
    stated = NEED.model_copy(update={"stated": NEED.stated.model_copy(update={"budget_max": 250})})
    assert budget_fits(stated, draft(budget_min=None, budget_max="250"))
    assert not budget_fits(stated, draft(budget_min="300", budget_max="540"))  # the client said 250


def test_the_rules_draft_from_the_clients_words_whatever_characters_they_hold():
    need = NEED.model_copy(update={"need": "Fix checkout <b>now</b> \u200b, speed > 2x"})
    out = fallback(need)  # not validated as model text: no exception
    assert out.description.startswith("Fix checkout")
    assert out.contract_type == "fixed" and (out.budget_min, out.budget_max) == (300, 540)
    assert out.duration == "lt1m" and out.skills == ["Shopify"]


@pytest.mark.parametrize(
    ("need", "title"),
    [
        ("need someone to fix our Shopify checkout, it drops orders", "Fix our Shopify checkout"),
        ("Hi! We are looking for a React developer to build a dashboard", "React developer to build a dashboard"),
        ("Looking for help: rebuild a RAG chatbot over product manuals", "Rebuild a RAG chatbot over product manuals"),
        ("hi, we need help with set up a Kubernetes migration, mid-level", "Set up a Kubernetes migration"),
        ("logo", "Logo help needed"),
        ("help", "Help needed"),
    ],
)
def test_a_title_from_the_request(need, title):
    assert title_of(need, []) == title


def _about(need: str, kind: str, answer: str = "") -> DraftInput:
    answers = [{"topic": "deliverables", "question": "What at the end?", "answer": answer}] if answer else []
    return DraftInput.model_validate({"need": need, "kind_of_work": kind, "answers": answers})


def test_deliverables_echo_the_client_or_fit_the_kind_of_work():
    """Seen in a walk: a bookkeeper's post promised "Working code in our repository"."""
    ground = task_spec("job_post_draft").ground
    software = ["Working code in our repository", "A short note on what changed and how to test it"]
    books = _about("Bookkeeper to reconcile 12 months of bank statements in Xero", "Admin & support")
    report = ground(books, fallback(books).model_copy(update={"deliverables": software}))
    assert report.unsupported == [f"deliverable:{item}" for item in software]
    assert ground(books, fallback(books).model_copy(update={"deliverables": ["Reconciled bank statements"]})).grounded
    # an app is software whatever category the skills named; the client's own deliverables always fit
    app = _about("hi, we need help to set up a grocery delivery app", "")
    assert ground(app, fallback(app).model_copy(update={"deliverables": software})).grounded
    speed = _about("Fix WordPress site speed", "Ecommerce & CMS", "A faster site and a list of changes")
    assert ground(speed, fallback(speed).model_copy(update={"deliverables": ["A faster site"]})).grounded
    report = ground(speed, fallback(speed).model_copy(update={"deliverables": ["The finished text, ready to publish"]}))
    assert not report.grounded


def test_a_draft_that_copies_the_prompts_own_lines_is_refused():
    video = _about("edit 10 youtube videos a month for our cooking channel", "Hospitality & food")
    written = fallback(video).model_copy(update={"description": "Edit 10 videos. Kind of work: Hospitality & food."})
    assert (
        "description:Kind of work: (a line of the prompt)"
        in task_spec("job_post_draft").ground(video, written).unsupported
    )


def test_a_draft_that_copies_the_prompts_instruction_is_refused():
    """Seen in a walk: a logo post whose description ended "Use only the skills listed and no number the
    client did not give." The client's own words may say the same thing."""
    ground = task_spec("job_post_draft").ground
    logo = _about("design a logo and business cards for a dog grooming salon", "Design & creative")
    copied = "Design a logo and business cards. Use only the skills listed and no number the client did not give."
    report = ground(logo, fallback(logo).model_copy(update={"description": copied}))
    assert report.unsupported == ["description: copies the prompt's instruction"]
    theirs = _about("Draft a job post from the client's request for our salon", "")
    assert ground(
        theirs,
        fallback(theirs).model_copy(
            update={"description": "Draft a job post from the client's request for our salon."}
        ),
    ).grounded


def test_a_scope_line_says_what_the_client_answered_about_the_scope():
    """Seen in a walk: "Scope: Web, mobile & software development." (the kind of work, labelled as the scope the
    client never gave) in a post about a slow Django site."""
    ground = task_spec("job_post_draft").ground
    slow = DraftInput.model_validate(
        {
            "need": "Our Django site is slow, the orders page takes 8 seconds to load",
            "kind_of_work": "Web, mobile & software development",
            "skills": ["Django"],
        }
    )
    written = "Our Django site is slow.\n\nScope: Web, mobile & software development."
    report = ground(slow, fallback(slow).model_copy(update={"description": written}))
    assert report.unsupported == ["description:Scope: Web, mobile & software development. (not the client's answer)"]
    scope = [{"topic": "scope", "question": "Which pages?", "answer": "Find the slow queries on the orders page"}]
    answered = DraftInput.model_validate(slow.model_dump() | {"answers": scope})
    assert ground(answered, fallback(answered)).grounded
    written = "Our Django site is slow.\n\nScope: the slow queries of the orders page."
    assert ground(answered, fallback(answered).model_copy(update={"description": written})).grounded


def test_deliverables_are_the_clients_items_and_skills_their_names():
    """Seen in a walk: "Push notifications on iOS and Android, and tests" became three deliverables, one of them
    "Android"; the model copied " iOS Development" with the space after a comma, and the draft was refused."""
    from uma.task_specs.job_post_draft import deliverables_of

    push = _about("Add push notifications to our app", "", "Push notifications on iOS and Android, and tests")
    assert deliverables_of(push) == ["Push notifications on iOS and Android", "Tests"]
    two = _about("Fix WordPress site speed", "", "A faster site and a list of changes; a call")
    assert deliverables_of(two) == ["A faster site", "A list of changes", "A call"]
    app = push.model_copy(update={"skills": ["React Native", "iOS Development"]})
    written = fallback(app).model_dump() | {"skills": ["React Native", " iOS Development"]}
    assert task_spec("job_post_draft").ground(app, DraftOutput.model_validate(written)).grounded


def test_the_title_says_what_the_client_asked_for_in_their_words():
    """Seen in a walk: "Rewritten React Native dev" for "add push notifications to our app"."""
    ground = task_spec("job_post_draft").ground
    app = _about("Need a React Native dev to add push notifications to our app, 2 weeks", "")
    app = app.model_copy(update={"skills": ["React Native"]})
    assert ground(app, fallback(app).model_copy(update={"title": "Rewritten React Native dev"})).unsupported == [
        "title:rewritten"
    ]
    for title in ("Push notifications for a React Native app", "React Native developer needed", fallback(app).title):
        assert ground(app, fallback(app).model_copy(update={"title": title})).grounded, title


def test_the_prompts_skills_none_line_is_dropped_from_a_drafts_end():
    """The adapter ends many drafts without skills with the prompt's "Skills: None." (9 or more of 40 held-out):
    the service drops it rather than refuse the draft; a line naming skills stays."""
    from uma.task_specs.job_post_draft import NO_SKILLS_LINE

    assert NO_SKILLS_LINE.sub("", "Manage our Instagram, 3 posts a week.\n\nSkills: None.") == (
        "Manage our Instagram, 3 posts a week."
    )
    assert NO_SKILLS_LINE.sub("", "Fix it.\n\nSkills: Shopify.") == "Fix it.\n\nSkills: Shopify."
    assert NO_SKILLS_LINE.sub("", "Skills: none of these matter, the result does.") == (
        "Skills: none of these matter, the result does."
    )


def test_the_gold_drafts_titles_and_deliverables_are_grounded():
    spec = task_spec("job_post_draft")
    for example in gold("job_post_draft"):
        inputs, expected = (
            spec.input_model.model_validate(example.input),
            spec.output_model.model_validate(example.output),
        )
        unsupported = spec.ground(inputs, expected).unsupported
        assert not [c for c in unsupported if c.startswith(("deliverable:", "title:"))], example.id


def test_a_timeline_line_may_say_what_the_request_itself_said_of_it():
    """Found by uma_eval: "…a B2B ordering portal, more than 6 months" drafted with "Timeline: More than 6
    months." was refused as not the client's answer (no question was asked about what they had said)."""
    ground = task_spec("job_post_draft").ground
    portal = DraftInput.model_validate(
        {"need": "improve a B2B ordering portal, more than 6 months", "stated": {"duration": "gt6m"}}
    )
    written = "Improve a B2B ordering portal, more than 6 months.\n\nTimeline: More than 6 months."
    assert ground(portal, fallback(portal).model_copy(update={"description": written})).grounded
    # what the request did not settle is still refused, and the scope is never taken from the request alone
    for line in ("Experience: More than 6 months.", "Scope: improve a B2B ordering portal."):
        written = f"Improve a B2B ordering portal, more than 6 months.\n\n{line}"
        assert not ground(portal, fallback(portal).model_copy(update={"description": written})).grounded
