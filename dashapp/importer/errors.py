"""The ways an import can fail: the whole file, a question only the user can answer, one row."""

from __future__ import annotations


class ImportFileError(Exception):
    """The file cannot be imported at all (missing, empty, garbled or unrecognised)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NeedsAnswer(ImportFileError):
    """The file is readable but ambiguous: the user must choose; nothing was changed.

    `option` is the CLI option that answers it ("--date-format"), `answers` the values it
    accepts ("dd/mm/yyyy", "mm/dd/yyyy"; empty for a flag such as "--no-customers"), and
    `field` the ReadOptions field the answer goes into. `usages` is how each answer is written
    on the command line when it needs more than the option ("--decimal , --thousands .").
    The upload page shows the answers as a choice.
    """

    def __init__(
        self,
        question: str,
        option: str,
        answers: tuple[str, ...] = (),
        usages: tuple[str, ...] | None = None,
    ) -> None:
        self.question = question
        self.option = option
        self.answers = answers
        self.also: list[NeedsAnswer] = []  # the file's other questions, asked at the same time
        self.usages = usages or (tuple(f"{option} {a}" for a in answers) if answers else (option,))
        super().__init__(f"{question} Answer with: {'  or  '.join(self.usages)}")

    @property
    def field(self) -> str:
        """The ReadOptions field this question fills ("--date-format" -> "date_format")."""
        return self.option.removeprefix("--").replace("-", "_")


class RowError(ValueError):
    """One value of one row is unusable; the message is shown to the user as is."""
