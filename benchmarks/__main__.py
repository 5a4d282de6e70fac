"""`python -m benchmarks`: run every benchmark."""

from __future__ import annotations

import sys

from benchmarks import questionnaire_step

if __name__ == "__main__":
    sys.exit(questionnaire_step.main(sys.argv[1:]))
