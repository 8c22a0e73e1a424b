"""Text for demo profiles, jobs, proposals, messages and reviews: specific and varied, never lorem ipsum."""

from __future__ import annotations

import random

from marketplace.demo.vocab import ACHIEVEMENTS, APPROACHES, CLIENT_KINDS, PROJECTS, ROLES


def _achievement(rng: random.Random, family: str) -> str:
    a = rng.choice([3, 4, 5, 6, 7, 8, 9])
    low = rng.randint(40, 70)
    return rng.choice(ACHIEVEMENTS[family]).format(
        a=a,
        b=round(a / rng.uniform(2.5, 5), 1),
        p=rng.randint(18, 62),
        n=rng.randint(3, 9),
        x=rng.randint(2, 6),
        d=rng.randint(5, 8),
        low=low,
        high=min(low + rng.randint(12, 30), 97),
    )


def _a(word: str) -> str:
    return "an" if word[0].lower() in "aeiou" else "a"


def profile_text(rng: random.Random, family: str, skills: list[str], years: int) -> tuple[str, str]:
    role = rng.choice(ROLES[family])
    top = skills[:3]
    headline = rng.choice(
        [
            f"{role} — {', '.join(top[:-1])} and {top[-1]}" if len(top) > 1 else f"{role} — {top[0]}",
            f"{role} with {years}+ years in {top[0]}",
            f"{top[0]} {role.lower()} for {rng.choice(CLIENT_KINDS)}",
        ]
    )
    projects = rng.sample(PROJECTS[family], k=min(2, len(PROJECTS[family])))
    sentences = [
        f"I'm {_a(role)} {role[0].lower() + role[1:]} with {years} years of experience, "
        f"mostly with {rng.choice(CLIENT_KINDS)}.",
        f"Recent work: {projects[0]}, where I {_achievement(rng, family)}.",
        f"Before that I built {projects[-1]} and {_achievement(rng, family)}." if len(projects) > 1 else "",
        f"My main tools are {', '.join(skills[:5])}.",
        rng.choice(APPROACHES),
        rng.choice(
            [
                "Happy to start with a small paid trial.",
                "I can usually start within a week.",
                "Long-term collaborations are what I enjoy most.",
                "",
            ]
        ),
    ]
    return headline[:200], " ".join(s for s in sentences if s)


def job_text(rng: random.Random, family: str, company: str, skills: list[str], target_chars: int) -> tuple[str, str]:
    project = rng.choice(PROJECTS[family])
    verb = rng.choice(["Build", "Finish", "Improve", "Help us ship", "Rebuild", "Set up", "Audit and fix"])
    title = f"{verb} {project}"[:120]
    if rng.random() < 0.35 and skills:
        title = f"{skills[0]} expert: {project}"[:120]
    parts = [
        f"{company} is looking for help with {project}.",
        rng.choice(
            [
                "We are a small team and this is our top priority for the next quarter.",
                "Our in-house developer left and we need someone to pick this up.",
                "We have a working prototype and need it made production-ready.",
                "This is a new project; we have designs and a rough spec.",
            ]
        ),
        f"You will work mainly with {', '.join(skills[:4])}." if skills else "",
        "What we need: " + "; ".join(rng.sample(_tasks(family), k=3)) + ".",
        rng.choice(
            [
                "Please include a short note about a similar project you've done.",
                "Tell us how you would approach the first two weeks.",
                "Mention your availability and time zone in your proposal.",
            ]
        ),
        rng.choice(
            [
                "Nice to have: experience with regulated industries.",
                "Nice to have: you've worked with remote teams before.",
                "Nice to have: you can write clear documentation.",
                "",
            ]
        ),
        rng.choice(["We reply to every proposal within two days.", "Weekly check-ins on a call, the rest async.", ""]),
    ]
    description = " ".join(p for p in parts if p)
    extra = _detail(family)
    rng.shuffle(extra)
    while len(description) < target_chars and extra:
        description += " " + extra.pop()
    return title, description


def _tasks(family: str) -> list[str]:
    common = ["clean, tested code in our repository", "a short handover document", "regular progress updates"]
    specific = {
        "web": [
            "a REST API with authentication",
            "a responsive front end that works on phones",
            "fixes for slow queries",
        ],
        "mobile": ["releases to both app stores", "offline support", "push notifications"],
        "automation": ["a scheduled job that runs every night", "alerts when a run fails", "output in Google Sheets"],
        "hardware": ["firmware with OTA updates", "a bill of materials", "power consumption under 50 mA"],
        "ml": ["an evaluation on our own data", "a model we can run on CPU", "a simple API around the model"],
        "data": ["documented data models", "dashboards the sales team can read", "tests on every transformation"],
        "devops": ["infrastructure as code", "monitoring and alerts", "a runbook for incidents"],
        "design": ["high-fidelity Figma screens", "a component library", "two rounds of revisions"],
        "ecommerce": ["faster product pages", "a checkout that converts", "product data imported from CSV"],
        "marketing": ["a monthly report with clear numbers", "keyword research", "A/B tests on our landing pages"],
        "admin": ["replies within business hours", "a weekly summary", "accurate data entry with spot checks"],
        "writing": ["an agreed style guide", "two rounds of edits", "SEO-friendly headings"],
    }
    return common + specific[family]


def _detail(family: str) -> list[str]:
    return [
        "The budget is flexible for the right person.",
        "We expect roughly the weekly hours listed, more at the start.",
        "Access to staging and our ticket board is ready on day one.",
        "We'll start with the most important milestone and agree the rest together.",
        "Experience with similar projects matters more to us than years in general.",
        "We're happy to pay for a short trial task before committing to the whole project.",
        "You'll work with our product lead, who is in the office from 9 to 5 CET.",
        "We use GitHub, Linear and Slack; you'll get access on day one.",
        "The first milestone should take about two weeks.",
        "We have had one bad experience with a freelancer who went silent, so regular updates matter a lot to us.",
        "Please share links to work you're proud of, even if it isn't public.",
        "Please don't apply with a generic proposal; we read every one.",
        "If the first milestone goes well there is plenty of follow-up work.",
    ]


def cover_letter(rng: random.Random, name: str, skills: list[str], project_hint: str) -> str:
    return " ".join(
        [
            rng.choice(["Hi,", "Hello,", "Good day,"]),
            f"I read your post about {project_hint.lower()} and it's close to work I've done.",
            f"I've used {', '.join(skills[:3])} daily for years." if skills else "",
            rng.choice(APPROACHES),
            rng.choice(["I can start this week.", "I'm available from Monday.", "Happy to do a short call first."]),
            f"— {name.split()[0]}",
        ]
    )


CLIENT_LINES = [
    "Hi! Welcome aboard. Access to the repo is on its way.",
    "Could you share a quick update on where things stand?",
    "Thanks, that looks good. Can we also handle the edge case with empty carts?",
    "Any news on the milestone? We're planning the launch around it.",
    "Great progress. Let's do a call on Thursday.",
    "Hi, just checking in: are you still on track for the due date?",
    "The client demo went well, thank you!",
]
FREELANCER_LINES = [
    "Thanks! I've got access and set up my environment.",
    "Update: the main flow works; I'm on tests and error handling now.",
    "Yes, I'll add that. It should take about a day.",
    "Pushed the latest version to staging, please have a look.",
    "Thursday works for me, 3pm your time?",
    "Sorry for the delay, I had a power outage yesterday. Back on it now.",
    "I've submitted the milestone with notes on what changed.",
]
REVIEWS = {
    5: [
        "Excellent work, clear communication and delivered early.",
        "Would hire again without hesitation.",
        "Went beyond the brief and documented everything.",
    ],
    4: ["Good work overall; a few small delays but always communicative.", "Solid delivery, needed one revision."],
    3: ["The result was fine but deadlines slipped.", "Okay work; communication could have been better."],
    2: ["Missed several deadlines and the quality was uneven."],
    1: ["Stopped responding halfway through the project."],
}
