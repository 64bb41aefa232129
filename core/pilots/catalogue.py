"""The default topic catalogue a new pilot starts from; the admin edits it per pilot.

Two kinds: LEARN topics are what senior mentees learn from junior mentors; OFFER topics are the
leadership know-how that mentees give back and mentors say they want to learn.
"""

from __future__ import annotations

DEFAULT_LEARN_TOPICS: dict[str, list[tuple[str, str]]] = {
    "Digital tools and collaboration": [
        ("Collaboration suites", "Teams, Slack, shared docs and async work without meetings"),
        ("Mobile-first workflows", "Getting work done from a phone: apps, approvals, notes"),
        ("No-code automation", "Automating routine tasks with no-code tools"),
        ("Video and hybrid meetings", "Running inclusive hybrid meetings"),
    ],
    "AI and data": [
        ("Generative AI basics", "What large language models can and cannot do"),
        ("Prompting for everyday work", "Writing prompts for drafts, summaries and analysis"),
        ("Data literacy", "Reading dashboards, asking good questions of data"),
        ("Responsible AI", "Bias, privacy and governance of AI at work"),
    ],
    "Cybersecurity": [
        ("Cybersecurity basics", "Phishing, passwords, multi-factor authentication"),
        ("Personal digital hygiene", "Devices, home networks, what to share"),
        ("Social engineering", "How attackers target senior people"),
    ],
    "Social media and personal brand": [
        ("LinkedIn presence", "A credible leadership profile and posting rhythm"),
        ("Short-form video", "TikTok, Reels and what they mean for the brand"),
        ("Online reputation", "Handling comments, crises and misinformation"),
    ],
    "Generational and workplace expectations": [
        ("What Gen Z expects of work", "Purpose, flexibility, feedback, career paths"),
        ("Feedback culture", "Giving and asking for feedback across generations"),
        ("Hybrid and flexible work", "Norms, trust and visibility in hybrid teams"),
        ("Wellbeing and mental health", "Talking about it as a leader"),
    ],
    "DEI and inclusion": [
        ("Inclusive language", "Words that include, words that exclude"),
        ("Everyday allyship", "Noticing and acting on exclusion"),
        ("Neurodiversity at work", "Working well with different minds"),
    ],
}

DEFAULT_OFFER_TOPICS: dict[str, list[tuple[str, str]]] = {
    "Leadership know-how": [
        ("Strategy and big picture", "How strategy is made and decided"),
        ("Navigating the organisation", "Who decides what, and how to get things done"),
        ("Career development", "Choices, sponsors and growth paths"),
        ("Stakeholder management", "Influencing without authority"),
        ("Public speaking", "Presenting to executives and large groups"),
        ("Business and finance acumen", "P&L, budgets and business cases"),
        ("Negotiation", "Preparing and holding a negotiation"),
    ],
}

FOCUS_AREAS = (
    "Digital tools and collaboration",
    "AI and data",
    "Cybersecurity",
    "Social media and personal brand",
    "Generational and workplace expectations",
    "DEI and inclusion",
)
