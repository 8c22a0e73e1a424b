"""Calibration for demo data: the aggregate market statistics in ../shared/data/market_facts.json
when present (see DEMO_MARKET_FACTS), else a small built-in summary of the same numbers."""

from __future__ import annotations

import json
import os
from pathlib import Path

from django.conf import settings

BUILT_IN = {
    "job_categories_share": {
        "Full Stack Development": 0.19,
        "Scripting & Automation": 0.10,
        "Machine Learning": 0.08,
        "Back-End Development": 0.07,
        "DevOps Engineering": 0.06,
        "Data Extraction": 0.05,
        "Data Analytics": 0.04,
        "Data Engineering": 0.035,
        "Cloud Engineering": 0.02,
        "Mobile App Development": 0.016,
        "Web Design": 0.013,
        "Ecommerce Website Development": 0.014,
        "Graphic Design": 0.005,
        "SEO": 0.004,
        "Data Entry": 0.005,
    },
    "fixed_price_budget_usd": {"p10": 15, "p25": 50, "p50": 100, "p75": 500, "p90": 1050},
    "hourly_range_min_usd": {"p10": 8, "p25": 15, "p50": 20, "p75": 30, "p90": 36},
    "hourly_range_max_usd": {"p10": 15, "p25": 30, "p50": 45, "p75": 60, "p90": 80},
    "job_description_chars": {"p10": 220, "p25": 535, "p50": 915, "p75": 1421, "p90": 2312},
    "experience_level_share": {"Intermediate": 0.64, "Expert": 0.31, "Entry Level": 0.05},
    "contract_type_share": {"Hourly": 0.59, "Fixed price": 0.41},
    "top_skills_by_category": {},
    "freelancer_hourly_rate_usd_by_country": {
        "United Kingdom": {"n": 2133, "p25": 26, "p50": 38, "p75": 57},
        "Pakistan": {"n": 985, "p25": 10, "p50": 15, "p75": 22},
        "India": {"n": 949, "p25": 12, "p50": 16, "p75": 25},
        "United States": {"n": 776, "p25": 15, "p50": 20, "p75": 35},
        "Philippines": {"n": 340, "p25": 10, "p50": 10, "p75": 14},
        "Germany": {"n": 119, "p25": 16, "p50": 26, "p75": 38},
    },
}


def market_facts() -> dict:
    default = Path(settings.BASE_DIR).parent / "shared" / "data" / "market_facts.json"
    path = Path(os.environ.get("DEMO_MARKET_FACTS") or default)
    if path.is_file():
        facts = json.loads(path.read_text())
        return {**BUILT_IN, **facts}
    return BUILT_IN
