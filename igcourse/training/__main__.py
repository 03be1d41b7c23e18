"""`python -m igcourse.training RECIPE ...`: the train command on its own."""

import sys

from igcourse.training.cli import main

sys.exit(main())
