"""Hidden checks of autoencoder: the encoder, the decoder, their composition, the latent grid.

Networks are compared with the reference by giving both the same seeded weights (in the order
of model.weights) and comparing outputs, so any deviation from the table (an activation, a
stride, a missing layer) shows. Each part is checked with the reference's definitions of the
other parts (see PART_NAMES).
"""

from functools import partial

import numpy as np
import probes_autoencoder as probes
import pytest

from igcourse.grading import architecture
from igcourse.grading.checks import assert_close, check, first_of, seeded_rng
from igcourse.grading.public import public_checks_test
from igcourse.i18n import _

PART_NAMES = {
    "encoder": ["build_encoder"],
    "decoder": ["build_decoder"],
    "autoencoder": ["build_autoencoder"],
    "latent_grid": ["latent_grid"],
}

# Every public check of a part counts in its hidden grade too.
test_public_checks = public_checks_test("ch02_vae", PART_NAMES, probes)


def _same(a, b):
    if isinstance(a, str) or isinstance(b, str) or a is None or b is None:
        return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return a.shape == b.shape and bool(np.allclose(a, b, 1e-4, 1e-5))


def _inputs(which, latent_dim):
    rng = seeded_rng(f"{which} inputs")
    if which == "encoder":
        return rng.random((3, 28, 28, 1)).astype(np.float32)
    return rng.normal(0, 2.0, size=(3, latent_dim)).astype(np.float32)


_ADVICE = {
    "encoder": _(
        "Follow the table: Conv2D(F, 3, strides=2, padding='same') with ReLU, Conv2D(2F, 3, "
        "strides=2, padding='same') with ReLU, Flatten, Dense(latent_dim) without an activation."
    ),
    "decoder": _(
        "Follow the table: Dense(7 * 7 * 2F) with ReLU, Reshape((7, 7, 2F)), two "
        "Conv2DTranspose(3, strides=2, padding='same') layers with 2F and F filters and ReLU, "
        "Conv2D(1, 3, padding='same') with a sigmoid."
    ),
}


def _network_probe(ns, args):
    return probes.network(ns, *args)


def _check_network(which, submission, reference, mistakes):
    for latent_dim, filters in ((2, 4), (3, 8)):
        inputs = _inputs(which, latent_dim)
        args = (which, latent_dim, filters, inputs, f"{which} weights {latent_dim}")
        mine = submission.probe(which, probes.network, *args)
        expected = reference.probe(which, probes.network, *args)
        explain = first_of(
            partial(mistakes.explain, which, partial(_network_probe, args=args), mine, _same),
            partial(architecture.differences, mine["plan"], expected["plan"]),
        )
        name = f"build_{which}({latent_dim}, {filters})"
        check(
            mine["weight_shapes"] == expected["weight_shapes"],
            _(
                "{name} has weights of shapes {got}, the table's network {expected}. {advice}"
            ).format(
                name=name,
                got=mine["weight_shapes"],
                expected=expected["weight_shapes"],
                advice=_ADVICE[which],
            ),
            explain,
        )
        assert_close(
            mine["output"],
            expected["output"],
            _("The output of {name}, with the same weights as the table's network").format(
                name=name
            ),
            1e-4,
            1e-5,
            explain,
        )
        if which == "decoder":
            out = np.asarray(mine["output"])
            check(
                out.min() >= 0 and out.max() <= 1,
                _("{name} returns values outside [0, 1]: end with a sigmoid.").format(name=name),
                explain,
            )


@pytest.mark.part("encoder")
def test_encoder_follows_the_table(submission, reference, mistakes):
    """With the reference's weights, does the encoder compute what the table says?"""
    _check_network("encoder", submission, reference, mistakes)


@pytest.mark.part("decoder")
def test_decoder_follows_the_table(submission, reference, mistakes):
    """With the reference's weights, does the decoder compute what the table says?"""
    _check_network("decoder", submission, reference, mistakes)


def _composition_message(out):
    """What the composition probe saw: an autoencoder deaf to the networks' new weights (new
    networks), or one that follows them and still computes something else."""
    output, composed = np.asarray(out["output"]), np.asarray(out["composed"])
    before = np.asarray(out.get("before"))
    if before.shape == output.shape and np.allclose(before, output, atol=1e-6):
        return _(
            "When the weights of the encoder and decoder change after build_autoencoder, your "
            "autoencoder's output stays the same: it does not use those networks. Build it from "
            "the two networks you are given, keras.Model(images, decoder(encoder(images))), so "
            "that training it trains them."
        )
    if output.shape != composed.shape:
        return _(
            "Your autoencoder's output has shape {got}; decoder(encoder(x)) has shape {want}."
        ).format(got=output.shape, want=composed.shape)
    return _(
        "Your autoencoder follows the weights of the encoder and decoder, but its output is not "
        "decoder(encoder(x)) (largest difference {diff:.3g}): it should return the decoder's "
        "output as it is."
    ).format(diff=float(np.max(np.abs(output - composed))))


@pytest.mark.part("autoencoder")
def test_autoencoder_shares_the_given_networks(submission, mistakes):
    """Is the autoencoder decoder(encoder(x)) with the very networks it was given?"""
    images = seeded_rng("composition images").random((4, 28, 28, 1)).astype(np.float32)
    out = submission.probe("autoencoder", probes.composition, images)
    check(
        np.shape(out["output"]) == np.shape(out["composed"])
        and np.allclose(out["output"], out["composed"], atol=1e-5),
        _composition_message(out),
        lambda: mistakes.explain(
            "autoencoder",
            lambda ns: probes.composition(ns, images)["output"],
            out["output"],
            _same,
        ),
    )


def _moved(out):
    """[the encoder moved, the decoder moved, the encoder frozen, the decoder frozen] from a
    training_updates probe result."""
    return [
        bool(out["encoder_moved"] > 0),
        bool(out["decoder_moved"] > 0),
        bool(out["encoder_frozen"]),
        bool(out["decoder_frozen"]),
    ]


def _frozen_message(network):
    return _(
        "Your build_autoencoder leaves the {network} it was given frozen (its trainable is False "
        "once the autoencoder is built), so one step of training (compile, then fit on images "
        "against themselves) left its weights unchanged: training the autoencoder must train "
        "both networks."
    ).format(network=network)


@pytest.mark.part("autoencoder")
def test_training_the_autoencoder_trains_both_networks(submission, mistakes):
    """Does one step of Keras training of the autoencoder (compile and fit, as the notebook
    trains it) update the weights of the encoder and of the decoder it was given?"""
    images = seeded_rng("training images").random((8, 28, 28, 1)).astype(np.float32)
    out = submission.probe("autoencoder", probes.training_updates, images)
    moved = _moved(out)
    explain = partial(
        mistakes.explain,
        "autoencoder",
        lambda ns: _moved(probes.training_updates(ns, images)),
        moved,
        lambda a, b: a == b,
    )
    check(
        moved[0],
        _frozen_message(_("encoder"))
        if moved[2]
        else _(
            "One step of training your autoencoder (compile, then fit on images against "
            "themselves) left the weights of the encoder you were given unchanged: training "
            "the autoencoder must train that encoder. Build the model from the two given "
            "networks, keras.Model(images, decoder(encoder(images))), with nothing between "
            "them that stops the gradient."
        ),
        explain,
    )
    check(
        moved[1],
        _frozen_message(_("decoder"))
        if moved[3]
        else _(
            "One step of training your autoencoder (compile, then fit on images against "
            "themselves) left the decoder's weights unchanged: build it from the decoder you are "
            "given, keras.Model(images, decoder(encoder(images)))."
        ),
        explain,
    )


@pytest.mark.part("latent_grid")
def test_grid_codes_and_order(submission, reference, mistakes):
    """Are the grid's codes evenly spaced, ends included, in the documented order?"""
    rng = seeded_rng("grid inputs")
    cases = [
        (round(float(rng.uniform(-3, -1)), 2), round(float(rng.uniform(1, 3)), 2), n, shown)
        for n, shown in ((int(rng.integers(3, 6)), True), (3, False))
    ]
    for low, high, n, code_images in cases:
        args = (low, high, n, code_images)
        got = submission.probe("latent_grid", probes.grid, *args)
        expected = reference.probe("latent_grid", probes.grid, *args)
        what = (
            _(
                "With a decoder whose images show their codes, latent_grid(decoder, {low}, "
                "{high}, {n}) "
                "(image i * n + j decodes (u[j], u[n - 1 - i]), u = np.linspace(low, high, n))"
            )
            if code_images
            else _("latent_grid(decoder, {low}, {high}, {n}) with a sigmoid decoder")
        ).format(low=low, high=high, n=n)
        assert_close(
            got,
            expected,
            what,
            1e-5,
            1e-6,
            partial(
                mistakes.explain,
                "latent_grid",
                lambda ns, args=args: probes.grid(ns, *args),
                got,
                _same,
            ),
        )
    low, high, n = cases[0][:3]
    kind = submission.probe("latent_grid", probes.grid_kind, low, high, n)
    check(
        kind == "numpy.ndarray",
        _(
            "latent_grid returns a {kind}; its docstring promises a NumPy array: convert the "
            "decoder's output with keras.ops.convert_to_numpy (or use decoder.predict)."
        ).format(kind=kind),
        lambda: mistakes.explain(
            "latent_grid",
            lambda ns: probes.grid_kind(ns, low, high, n),
            kind,
            lambda a, b: a == b,
        ),
    )
