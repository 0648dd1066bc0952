"""The load of `bench_api.py`: people at work on the API at once.

Each simulated user signs in once (an API token) as their own account: most are members who
read their assessment, the framework and their evidence, edit their evidence and submit it
for review; some are the skills office reading the skill map and people's assessments.
`ITSS_BENCH_MEMBERS` names the members' usernames (= person ids), comma-separated.

`ITSS_BENCH_PACE` is the seconds a user waits between two requests, "low,high" (each wait
drawn between them): 1-3 s, a person reading a page and clicking on, by default; 0.05-0.2 s
makes each user a script and finds how much the server serves before requests queue.
"""

from __future__ import annotations

import itertools
import os
import random
from typing import Any

from locust import HttpUser, between, task

PASSWORD = os.environ.get("ITSS_BENCH_PASSWORD", "bench-password-2026")
MEMBERS = os.environ.get("ITSS_BENCH_MEMBERS", "").split(",")
PEOPLE = MEMBERS
PACE = [float(part) for part in os.environ.get("ITSS_BENCH_PACE", "1,3").split(",")]
LEVELS = [("itsm.operations", 3), ("itsm.service-desk", 2), ("cs.hardware", 4)]
_next_member = itertools.count()


class _Signed(HttpUser):
    abstract = True
    wait_time = between(PACE[0], PACE[1])
    username = ""

    def on_start(self) -> None:
        body = {"username": self.username, "password": PASSWORD, "name": "locust"}
        token = self.client.post("/api/auth/tokens", json=body).json()["token"]
        self.client.headers["Authorization"] = f"Bearer {token}"


class Member(_Signed):
    """An engineer: reads a lot, sometimes edits and submits their evidence."""

    weight = 4

    def on_start(self) -> None:
        self.username = MEMBERS[next(_next_member) % len(MEMBERS)]
        super().on_start()

    @task(6)
    def my_assessment(self) -> None:
        self.client.get(f"/api/people/{self.username}/assessment", name="read: assessment")

    @task(3)
    def framework_level(self) -> None:
        field, level = random.choice(LEVELS)
        path = f"/api/framework/fields/{field}/levels/{level}"
        self.client.get(path, name="read: framework level")

    @task(2)
    def edit_evidence(self) -> None:
        read = self.client.get(f"/api/people/{self.username}", name="read: person")
        evidence: dict[str, Any] = read.json()["evidence"]
        for engagement in evidence["engagements"][:1]:
            engagement["description"] = f"edited {random.random():.6f}"
        headers = {"If-Match": read.headers["ETag"]}
        path = f"/api/people/{self.username}/evidence"
        self.client.put(path, json=evidence, headers=headers, name="write: evidence")

    @task(1)
    def submit(self) -> None:
        path = f"/api/people/{self.username}/reviews"
        with self.client.post(path, json={}, name="write: submit", catch_response=True) as r:
            if r.status_code == 409:  # a review is open already: an answer, not an error
                r.success()


class Office(_Signed):
    """The skills office: the skill map and anyone's assessment."""

    weight = 1
    username = "office"

    @task(3)
    def skill_map(self) -> None:
        self.client.get("/api/skill-map?limit=100", name="read: skill map")

    @task(2)
    def someone(self) -> None:
        ref = random.choice(PEOPLE)
        self.client.get(f"/api/people/{ref}/assessment", name="read: assessment")
