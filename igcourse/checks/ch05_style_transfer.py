"""Public checks of chapter 5: each notebook's checks are in a module of their own."""

from igcourse.checks import ch05_adain as adain_checks
from igcourse.checks import ch05_neural_style_transfer as neural_style_transfer_checks

PUBLIC_CHECKS = {}
PUBLIC_CHECKS.update(neural_style_transfer_checks.PUBLIC_CHECKS)  # neural_style_transfer.ipynb
PUBLIC_CHECKS.update(adain_checks.PUBLIC_CHECKS)  # adain.ipynb
