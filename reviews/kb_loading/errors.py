"""What a load that cannot go ahead raises."""

from __future__ import annotations


class FixtureError(Exception):
    """One or more faults in the fixtures; ``problems`` lists each with its file and object."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        count = len(problems)
        heading = "1 problem in the fixtures" if count == 1 else f"{count} problems in the fixtures"
        super().__init__(f"{heading}; nothing was loaded:\n" + "\n".join(f"  {p}" for p in problems))
