"""The problems found in a file, by row and column, and what a check of a file returns."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

# The preview lists this many problems at most; past it the officer has enough to correct.
MAX_PROBLEMS = 1000


@dataclass(frozen=True)
class Problem:
    """An error (blocks the import) or a warning (tells the officer to look) on a row and column
    of the file; no row for the whole file, no column for the whole row."""

    row: int | None
    column: str  # the header, as in the file; "" for the whole row or file
    message: str
    warning: bool = False

    def as_json(self) -> dict:
        entry = {"row": self.row, "column": self.column, "message": self.message}
        if self.warning:
            entry["level"] = "warning"
        return entry


def file_problem(message: str) -> list[dict]:
    """The problems of a file refused whole: one, on no row."""
    return [Problem(None, "", message).as_json()]


@dataclass
class CheckResult:
    """A checked file: how many rows it has, and every problem. Each import's check returns a
    subclass holding the unsaved records too."""

    row_count: int
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if not problem.warning]

    @property
    def warnings(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.warning]

    @property
    def is_valid(self) -> bool:
        return not self.errors

    def problems_as_json(self) -> list[dict]:
        """At most MAX_PROBLEMS entries, errors first; a last entry says how many were left out."""
        errors, warnings = self.errors, self.warnings
        kept = errors[:MAX_PROBLEMS] + warnings[:max(0, MAX_PROBLEMS - len(errors))]
        entries = [problem.as_json() for problem in kept]
        left_out = len(self.problems) - len(kept)
        if left_out:
            entries.append(Problem(None, "", _("… and %(count)s more problems. Correct these and upload the file "
                                               "again to see the rest.") % {"count": left_out}).as_json())
        return entries
