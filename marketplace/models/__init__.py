from marketplace.models.accounts import Membership, Organization, User, UserManager
from marketplace.models.contracts import Attachment, Contract, Feedback, Milestone, MilestoneSubmission, TimeLog
from marketplace.models.idempotency import IdempotentRequest
from marketplace.models.jobs import ContractType, Invitation, JobPost, Proposal
from marketplace.models.messaging import Message, Thread, ThreadRead
from marketplace.models.money import Currency
from marketplace.models.notifications import Notification, NotificationPreference, OutgoingEmail
from marketplace.models.profiles import FreelancerProfile, PortfolioItem, ProfilePassage, ProfileSkill
from marketplace.models.search import SearchStats, SearchTerm
from marketplace.models.skills import Skill, SkillAlias, SkillCategory, skill_key

__all__ = [
    "Attachment",
    "Contract",
    "ContractType",
    "Currency",
    "Feedback",
    "FreelancerProfile",
    "IdempotentRequest",
    "Invitation",
    "JobPost",
    "Membership",
    "Message",
    "Milestone",
    "MilestoneSubmission",
    "Notification",
    "NotificationPreference",
    "Organization",
    "OutgoingEmail",
    "PortfolioItem",
    "ProfilePassage",
    "ProfileSkill",
    "Proposal",
    "SearchStats",
    "SearchTerm",
    "Skill",
    "SkillAlias",
    "SkillCategory",
    "Thread",
    "ThreadRead",
    "TimeLog",
    "User",
    "UserManager",
    "skill_key",
]
