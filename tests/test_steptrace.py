"""igcourse.grading.steptrace: what a training step called, eagerly and inside a tf.function."""

import numpy as np
import pytest

tf = pytest.importorskip("tensorflow")
keras = pytest.importorskip("keras")

from igcourse.grading import steptrace  # noqa: E402


def _networks(log):
    keras.utils.set_random_seed(0)
    generator = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    discriminator = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    return (
        steptrace.RecordingNetwork(generator, "generator", log),
        steptrace.RecordingNetwork(discriminator, "discriminator", log),
    )


def _loss(log):
    def discriminator_loss(real_logits, fake_logits):
        loss = tf.reduce_mean(real_logits) - tf.reduce_mean(fake_logits)
        log.record("discriminator_loss", None, real_logits, fake_logits, loss)
        return loss

    return discriminator_loss


def _run(step_body, compiled):
    log = steptrace.CallLog()
    generator, discriminator = _networks(log)
    loss = _loss(log)
    step = step_body(generator, discriminator, loss)
    if compiled:
        step = tf.function(step)
    rng = np.random.default_rng(1)
    real = rng.normal(size=(4, 2)).astype(np.float32)
    z = rng.normal(size=(4, 3)).astype(np.float32)
    returned = step(tf.constant(real), tf.constant(z))
    calls = steptrace.label_calls(log.plain(), [("real_images", real), ("z", z)])
    return calls, float(returned)


def _correct(generator, discriminator, loss):
    def step(real, z):
        fake = generator(z, training=True)
        return loss(discriminator(real, training=True), discriminator(fake, training=True))

    return step


def _swapped_untrained(generator, discriminator, loss):
    def step(real, z):
        fake = generator(z)
        return loss(discriminator(fake), discriminator(real))

    return step


@pytest.mark.parametrize("compiled", [False, True])
def test_a_correct_step_is_labelled_and_has_no_finding(compiled):
    calls, returned = _run(_correct, compiled)
    assert [c["label"] for c in calls] == [
        "generator(z)",
        "discriminator(real_images)",
        "discriminator(generator(z))",
        "discriminator_loss(discriminator(real_images), discriminator(generator(z)))",
    ]
    wanted = ("discriminator(real_images)", "discriminator(generator(z))")
    assert steptrace.loss_finding("d_step", calls, "discriminator_loss", wanted, returned) == ""
    assert steptrace.training_finding("d_step", calls, ("generator", "discriminator")) == ""
    assert steptrace.input_finding("d_step", calls, "generator", "z") == ""


@pytest.mark.parametrize("compiled", [False, True])
def test_swapped_arguments_and_missing_training_flags_are_named(compiled):
    calls, returned = _run(_swapped_untrained, compiled)
    wanted = ("discriminator(real_images)", "discriminator(generator(z))")
    found = steptrace.loss_finding("d_step", calls, "discriminator_loss", wanted, returned)
    assert "swapped" in found
    found = steptrace.training_finding("d_step", calls, ("generator", "discriminator"))
    assert "generator and discriminator" in found


def test_new_noise_and_a_wrong_return_are_named():
    def body(generator, discriminator, loss):
        def step(real, z):
            fake = generator(tf.random.normal(tf.shape(z)), training=True)
            loss(discriminator(real, training=True), discriminator(fake, training=True))
            return tf.constant(0.0)

        return step

    calls, returned = _run(body, compiled=True)
    assert "not z" in steptrace.input_finding("d_step", calls, "generator", "z")
    wanted = ("discriminator(real_images)", "discriminator(generator(z))")
    # The fake logits' origin is unknown: nothing is said about the arguments or the return.
    assert steptrace.loss_finding("d_step", calls, "discriminator_loss", wanted, returned) == ""


def test_a_loss_never_called_is_named():
    def body(generator, discriminator, _loss):
        def step(real, z):
            return tf.reduce_mean(discriminator(real, training=True))

        return step

    calls, returned = _run(body, compiled=True)
    found = steptrace.loss_finding("d_step", calls, "discriminator_loss", ("a", "b"), returned)
    assert "never called discriminator_loss" in found


def test_a_graph_loop_makes_counts_unknown():
    log = steptrace.CallLog()
    _generator, discriminator = _networks(log)

    @tf.function
    def step(batches):
        total = tf.constant(0.0)
        for i in tf.range(3):
            total += tf.reduce_sum(discriminator(batches[i], training=True))
        return total

    step(tf.zeros((3, 4, 2)))
    calls = log.plain()
    assert len(calls) == 1 and not steptrace.counts_are_known(calls)


def test_large_values_are_kept_as_fingerprints_that_still_match():
    log = steptrace.CallLog()
    images = np.random.default_rng(2).normal(size=(6, 28, 28, 1)).astype(np.float32)
    other = images.copy()
    other[1] += 1.0
    log.record("critic", True, tf.constant(images), tf.constant(1.0))
    calls = steptrace.label_calls(log.plain(), [("other", other), ("real", images)])
    assert calls[0]["label"] == "critic(real)"
    assert log.plain()[0]["values"][0].size < images.size


def test_stand_ins_log_only_while_a_log_is_active():
    log = steptrace.CallLog()
    assert steptrace.logged("loss", tf.constant(1.0), tf.constant(2.0)) is not None
    with steptrace.active(log):
        result = steptrace.logged("loss", tf.constant(1.0), tf.constant(2.0))
    steptrace.logged("loss", tf.constant(3.0), tf.constant(4.0))
    assert float(result) == 2.0
    calls = log.plain()
    assert [c["who"] for c in calls] == ["loss"]
    assert [float(v) for v in calls[0]["values"]] == [1.0, 2.0]
