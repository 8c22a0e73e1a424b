from marketplace.models.accounts import FreelancerProfile, Membership, Organization, User, UserManager

__all__ = ["FreelancerProfile", "Membership", "Organization", "User", "UserManager"]
