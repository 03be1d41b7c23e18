"""Public checks of chapter 7: each notebook's checks are in a module of their own."""

from igcourse.checks import ch07_progan as progan_checks
from igcourse.checks import ch07_stylegan as stylegan_checks

PUBLIC_CHECKS = {}
PUBLIC_CHECKS.update(progan_checks.PUBLIC_CHECKS)  # progan.ipynb
PUBLIC_CHECKS.update(stylegan_checks.PUBLIC_CHECKS)  # stylegan.ipynb
