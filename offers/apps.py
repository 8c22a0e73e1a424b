from django.apps import AppConfig


class OffersConfig(AppConfig):
    name = "offers"
    verbose_name = "Offers and counter-offers"
    # Staff in the Recruiters group also work the trust & safety queue.
    recruiter_permissions = (
        "offers.view_offer",
        "offers.view_offerversion",
        "offers.view_safetyflag",
        "offers.change_safetyflag",
    )
