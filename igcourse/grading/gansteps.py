"""What the checks of GAN training steps share (chapter 3's DCGAN, chapter 4's conditional GAN).

A step is graded apart from the losses it calls: the probes give it least-squares stand-ins
(LSGAN's losses, not the task's) that record their calls in the step's log
(igcourse.grading.steptrace), and the check compares the variables after one step of plain SGD
with the reference's, run with the same stand-ins. The stand-in losses run in the sandbox
worker; the rest in the check process.
"""

import keras
import numpy as np
import tensorflow as tf

from igcourse.grading import steptrace
from igcourse.grading.checks import assert_close, check, fail
from igcourse.i18n import _


# ---------------------------------------------------------------- probe results (probes)
def plain(value):
    """A tensor as a NumPy array, a 0-d one as a float (the wire keeps scalars scalar)."""
    if value is None:
        return None
    array = np.asarray(value)
    return float(array) if array.ndim == 0 and array.dtype.kind in "biuf" else array


def values(variables):
    """The variables' current values, as NumPy arrays (copies)."""
    return [np.array(keras.ops.convert_to_numpy(v)) for v in variables]


# ---------------------------------------------------------------- stand-ins (probes)
def _flat_logits(logits):
    return tf.reshape(tf.cast(logits, tf.float32), [-1])  # (B, 1) or (B,) -> (B,)


def stand_in_discriminator_loss(real_logits, fake_logits):
    """Not the task's loss: least squares, real logits towards 1 and generated ones towards -1;
    a differentiable scalar for logits (B, 1) or (B,), as discriminator_loss promises."""
    real, fake = _flat_logits(real_logits), _flat_logits(fake_logits)
    loss = 0.5 * tf.reduce_mean(tf.square(real - 1.0)) + 0.5 * tf.reduce_mean(tf.square(fake + 1.0))
    return steptrace.logged("discriminator_loss", real_logits, fake_logits, loss)


def stand_in_generator_loss(fake_logits):
    """Not the task's loss: least squares, generated logits towards 1."""
    loss = 0.5 * tf.reduce_mean(tf.square(_flat_logits(fake_logits) - 1.0))
    return steptrace.logged("generator_loss", fake_logits, loss)


# ---------------------------------------------------------------- checks
def _close(a, b):
    try:
        a, b = np.asarray(a, float), np.asarray(b, float)
    except (TypeError, ValueError):
        return False
    return a.shape == b.shape and bool(np.allclose(a, b, 1e-4, 1e-6))


def all_close(a, b):
    """Whether two probe results agree: dicts equal, lists of arrays close one by one."""
    if isinstance(a, dict) or isinstance(b, dict):
        return a == b
    if not isinstance(a, list) or not isinstance(b, list):
        return _close(a, b)
    return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b, strict=True))


def changed(before, after):
    """[bool] per variable: whether it changed."""
    return [not np.array_equal(b, a) for b, a in zip(before, after, strict=True)]


def fail_without_gradient(loss, step, network, optimizer):
    """Fail when the step's probe found no gradient at all ({"no_gradient": True})."""
    if isinstance(loss, dict) and loss.get("no_gradient"):
        fail(
            _(
                "{step} found no gradient for any of the {network}'s variables: the tape "
                "recorded no path from them to the loss. The networks' outputs and the loss "
                "belong inside the `with tf.GradientTape() as tape:` block, with nothing (such "
                "as tf.stop_gradient) cutting the path; tape.gradient(loss, "
                "{network}.trainable_variables) and {optimizer}.apply_gradients come after it."
            ).format(step=step, network=network, optimizer=optimizer)
        )


def check_one_update(value, expected, step, own, other, left_alone, description, explains):
    """The step's probe result against the reference's: the other network left alone, its own
    changed, by exactly one SGD step.

    step: "d_step" (own: "discriminator") or "g_step" (own: "generator"); other: the other
    network (the probe's keys are "d_before", "g_after_d", ...); left_alone: the message when
    the other network changed; description: what the own network's variables are after the
    step; explains: (explain= for the other network's check, explain= for the own network's)."""
    after = f"_after_{step[0]}"
    explain_other, explain_own = explains
    check(
        not any(changed(value[f"{other[0]}_before"], value[other[0] + after])),
        left_alone,
        explain_other,
    )
    if not any(changed(value[f"{own[0]}_before"], value[own[0] + after])):
        if own == "discriminator":
            fail(_("d_step did not change the discriminator's trainable variables."), explain_own)
        fail(_("g_step did not change the generator's trainable variables."), explain_own)
    for got, want in zip(value[own[0] + after], expected[own[0] + after], strict=True):
        assert_close(got, want, description, 1e-4, 1e-6, explain=explain_own)


# ---------------------------------------------------------------- explanations
STAND_IN_NOTE = _(
    "In this check discriminator_loss and generator_loss are replaced by other losses, so that "
    "a step is judged on its own."
)
NETWORKS = ("generator", "discriminator")
OPTIMIZERS = {"d_optimizer": "discriminator", "g_optimizer": "generator"}


class StepStory:
    """What a step's recorded calls (steptrace) say about it, for the explain= of its checks.

    known_inputs(value): [(name, array)], the inputs the probe gave the step, so that its calls
    can be labelled; d_loss_args, g_loss_args: the labels of the calls each loss should get;
    own_findings: functions (step, calls) -> a sentence or "", asked before the common ones."""

    def __init__(self, known_inputs, d_loss_args, g_loss_args, own_findings=()):
        self.known_inputs = known_inputs
        self.loss_args = {"d_step": d_loss_args, "g_step": g_loss_args}
        self.own_findings = tuple(own_findings)

    def calls(self, value, step):
        recorded = value["d_calls" if step == "d_step" else "g_calls"]
        return steptrace.label_calls(recorded, self.known_inputs(value))

    def findings(self, value, step):
        """What the step's own calls show to be off, as sentences (none where nothing is)."""
        calls = self.calls(value, step)
        loss, loss_value = (
            ("discriminator_loss", value["d_loss"])
            if step == "d_step"
            else ("generator_loss", value["g_loss"])
        )
        found = [finding(step, calls) for finding in self.own_findings]
        found += [
            steptrace.input_finding(step, calls, "generator", "z"),
            steptrace.loss_finding(step, calls, loss, self.loss_args[step], loss_value),
            steptrace.update_finding(step, calls, OPTIMIZERS),
            steptrace.training_finding(step, calls, NETWORKS),
        ]
        return [sentence for sentence in found if sentence]

    def explain(self, value, step, zoo):
        """explain= for a step check: what the step's calls show, else a known mistake (zoo()),
        else the calls themselves (evidence, without a verdict)."""

        def explain():
            found = self.findings(value, step)
            if found:
                return " ".join(found)
            return zoo() or " ".join(
                (steptrace.describe(step, self.calls(value, step), NETWORKS), STAND_IN_NOTE)
            )

        return explain
