"""Public checks of chapter 6: each notebook's checks are in a module of their own."""

from igcourse.checks import ch06_gaugan as gaugan_checks
from igcourse.checks import ch06_gaugan_training as gaugan_training_checks
from igcourse.checks import ch06_igan as igan_checks

PUBLIC_CHECKS = {}
PUBLIC_CHECKS.update(gaugan_checks.PUBLIC_CHECKS)  # gaugan.ipynb: layers and networks
PUBLIC_CHECKS.update(gaugan_training_checks.PUBLIC_CHECKS)  # gaugan.ipynb: losses and the step
PUBLIC_CHECKS.update(igan_checks.PUBLIC_CHECKS)  # igan.ipynb
