"""Public checks of chapter 6's GauGAN notebook (gaugan.ipynb): its layers and networks (the
losses, the step and the handed-in generator are in ch06_gaugan_training.py).

Light checks on tiny inputs that say what to fix, against NumPy. They run on the student's own
functions; the layers are checked with their convolutions set to chosen weights (zero, or a
centre tap), so that the expected output is a formula.
"""

import numpy as np

from igcourse.checks import N_, describe, expect, require, rounded
from igcourse.checks.ch03_gan import _frameworks
from igcourse.checks.ch04_cyclegan import _tensor
from igcourse.checks.networks import scaled_output
from igcourse.i18n import _


def _array(value):
    import keras

    return np.asarray(keras.ops.convert_to_numpy(value), np.float64)


def _uniform(seed, shape, low=-1.0, high=1.0):
    return np.random.default_rng(seed).uniform(low, high, shape).astype(np.float32)


def _maps(seed, shape, labels):
    """One-hot label maps (B, H, W, labels) of random classes."""
    return np.eye(labels, dtype=np.float32)[np.random.default_rng(seed).integers(0, labels, shape)]


def _standardised(x, epsilon, axes=(0, 1, 2)):
    centred = np.asarray(x, np.float64) - np.mean(x, axis=axes, keepdims=True)
    return centred / np.sqrt(centred.var(axis=axes, keepdims=True) + epsilon)


def _leaky(x):
    return np.where(x > 0, x, 0.2 * x)


def _conv(x, layer, stride=1):
    """The layer's kernel (and bias, if any) applied with same padding, as plain arithmetic."""
    tf, _keras = _frameworks()
    out = tf.nn.conv2d(np.asarray(x, np.float32), layer.kernel, stride, "SAME")
    return _array(out + layer.bias if layer.use_bias else out)


def _conv_layer(layer, name, owner):
    _tf, keras = _frameworks()
    found = getattr(layer, name, None)
    expect(
        isinstance(found, keras.layers.Conv2D),
        _(
            "{owner}.{name} is not a keras.layers.Conv2D after the first call: create it in build"
        ).format(owner=owner, name=name),
    )
    return found


def _set(layer, centre=None):
    """A Conv2D with zero bias and a kernel of zeros, or only the centre tap `centre`."""
    kernel = np.zeros(tuple(layer.kernel.shape), np.float32)
    if centre is not None:
        kernel[kernel.shape[0] // 2, kernel.shape[1] // 2] = centre
    layer.kernel.assign(kernel)
    if layer.use_bias:
        layer.bias.assign(np.zeros(tuple(layer.bias.shape), np.float32))


def _close(got, expected, message, tolerance=1e-4):
    """Fail with message (formatted with got and expected where they differ most) unless they
    agree."""
    got, expected = np.asarray(got, np.float64), np.asarray(expected, np.float64)
    if got.shape != expected.shape:
        expect(False, message.format(got=f"shape {got.shape}", expected=f"shape {expected.shape}"))
    worst = np.unravel_index(np.argmax(np.abs(got - expected)), got.shape) if got.ndim else ()
    expect(
        np.allclose(got, expected, atol=tolerance),
        message.format(got=rounded(got[worst], 4), expected=rounded(expected[worst], 4)),
    )


def _differ(got, wrong, message, tolerance=1e-4):
    """Fail with message when got equals what a known mistake gives."""
    expect(np.shape(got) != np.shape(wrong) or not np.allclose(got, wrong, atol=tolerance), message)


# ------------------------------------------------------------------ spade


@describe(N_("SPADE with zero convolutions is the batch's own normalisation, epsilon inside"))
def spade_normalises(ns):
    spade_class = require(ns, "SPADE")
    layer = spade_class(hidden=4, epsilon=0.5)
    x, labels = _uniform(60, (3, 4, 4, 2)) * 3.0 + 1.0, _maps(61, (3, 2, 2), 5)
    layer(_tensor(x), _tensor(labels))
    names = ("shared", "gamma_conv", "beta_conv")
    kernels = [tuple(_conv_layer(layer, name, "SPADE").kernel.shape) for name in names]
    expect(
        kernels == [(3, 3, 5, 4), (3, 3, 4, 2), (3, 3, 4, 2)],
        _("for 5 labels, hidden 4 and 2 channels, SPADE's {names} have kernels {got}").format(
            names=names, got=kernels
        ),
    )
    count = len(layer.trainable_weights)
    expect(
        count == 6,
        _(
            "SPADE has {count} trainable weights, expected the three convolutions' 6: no learned "
            "scale or offset in its normalisation"
        ).format(count=count),
    )
    for name in names:
        _set(getattr(layer, name))
    got = _array(layer(_tensor(x), _tensor(labels)))
    expected = _standardised(x, 0.5)
    _differ(got, 0 * x, _("with zero convolutions SPADE returned zeros: the scale is 1 + gamma"))
    _differ(
        got,
        x / np.sqrt(1.5),
        _("SPADE normalised with moving averages: use the batch's statistics"),
    )
    _differ(
        got,
        _standardised(x, 0.5, axes=(1, 2)),
        _("SPADE normalised each sample on its own: take the statistics over axes (0, 1, 2)"),
    )
    centred = x - x.mean(axis=(0, 1, 2), keepdims=True)
    _differ(
        got,
        centred / (centred.std(axis=(0, 1, 2), keepdims=True) + 0.5),
        _("epsilon was added after the square root: divide by sqrt(variance + epsilon)"),
    )
    _close(
        got,
        expected,
        _(
            "with its three convolutions set to zero, SPADE gave {got} at one position, expected "
            "{expected}: (x - mean) / sqrt(variance + epsilon), over batch, height and width"
        ),
    )
    _close(
        _array(layer(_tensor(x), _tensor(labels), training=False)),
        expected,
        _("SPADE with training=False does not use the batch's own statistics: it must, always"),
    )


@describe(N_("gamma and beta come from the nearest-resized label map: x_hat * (1 + gamma) + beta"))
def spade_modulates(ns):
    tf, _keras = _frameworks()
    spade_class = require(ns, "SPADE")
    layer = spade_class(hidden=5)
    x, labels = _uniform(62, (2, 4, 4, 2)), _maps(63, (2, 2, 2), 5)
    layer(_tensor(x), _tensor(labels))
    # shared passes the resized label map on; gamma and beta are a matrix of the labels each.
    gamma_of, beta_of = _uniform(64, (5, 2), -0.9, 0.9), _uniform(65, (5, 2), -2.0, 2.0)
    for name, centre in (("shared", np.eye(5)), ("gamma_conv", gamma_of), ("beta_conv", beta_of)):
        _set(_conv_layer(layer, name, "SPADE"), centre)
    got = _array(layer(_tensor(x), _tensor(labels)))
    x_hat = _standardised(x, getattr(layer, "epsilon", 1e-5))
    big = labels.repeat(2, axis=1).repeat(2, axis=2)  # nearest neighbour, 2 x 2 -> 4 x 4
    gamma, beta = big @ gamma_of, big @ beta_of
    _differ(
        got, x_hat * gamma + beta, _("SPADE returned x_hat * gamma + beta: the scale is 1 + gamma")
    )
    _differ(
        got, x_hat * (1 + beta) + gamma, _("gamma and beta are swapped: gamma_conv gives the scale")
    )
    smooth = _array(tf.image.resize(labels, (4, 4), method="bilinear"))
    _differ(
        got,
        x_hat * (1.0 + smooth @ gamma_of) + smooth @ beta_of,
        _('the label map was resized with bilinear interpolation: use interpolation="nearest"'),
    )
    expected = x_hat * (1.0 + gamma) + beta
    _close(
        got,
        expected,
        _(
            "SPADE gave {got} at one position, expected {expected}: x_hat * (1 + gamma) + beta, "
            "gamma = gamma_conv(h), beta = beta_conv(h), h = shared(the label map resized to x's "
            "height and width by nearest neighbour)"
        ),
        1e-3,
    )
    larger = _array(layer(_tensor(x), _tensor(_maps(66, (2, 8, 8), 5))))
    expect(
        larger.shape == x.shape,
        _("SPADE gave shape {got} for an 8 x 8 label map and x (2, 4, 4, 2)").format(
            got=larger.shape
        ),
    )


# ------------------------------------------------------------------ spade_block


@describe(
    N_(
        "the block's convolutions have the task's filters, and the shortcut is a SPADE and a "
        "1 x 1 convolution exactly when the channels change"
    )
)
def block_layers(ns):
    block_class = require(ns, "SPADEResBlock")
    x, labels = _uniform(67, (2, 4, 4, 3)), _maps(68, (2, 2, 2), 4)
    for filters in (3, 5, 2):
        block, owner = block_class(filters, hidden=2), f"SPADEResBlock({filters})"
        out = _array(block(_tensor(x), _tensor(labels)))
        expect(
            out.shape == (2, 4, 4, filters),
            _("{owner} gave shape {got} for x (2, 4, 4, 3)").format(owner=owner, got=out.shape),
        )
        convs = [_conv_layer(block, name, owner) for name in ("conv_1", "conv_2")]
        got = [(conv.filters, tuple(conv.kernel_size)) for conv in convs]
        wanted = [(min(3, filters), (3, 3)), (filters, (3, 3))]
        expect(
            got == wanted,
            _(
                "{owner} on 3 channels: conv_1, conv_2 (filters, kernel) {got}, expected {expected}"
            ).format(owner=owner, got=got, expected=wanted),
        )
        if filters == 3:
            expect(
                getattr(block, "conv_skip", 0) is None and getattr(block, "spade_skip", 0) is None,
                _(
                    "SPADEResBlock(3) on 3 channels has shortcut layers: when the channels do "
                    "not change, the shortcut is x (spade_skip and conv_skip None)"
                ),
            )
            continue
        skip = _conv_layer(block, "conv_skip", owner)
        expect(
            tuple(skip.kernel.shape) == (1, 1, 3, filters) and not skip.use_bias,
            _("{owner}.conv_skip should be a 1 x 1 convolution without bias").format(owner=owner),
        )


@describe(N_("the block is the main path (SPADE, LeakyReLU 0.2, conv, twice) plus the shortcut"))
def block_values(ns):
    block_class = require(ns, "SPADEResBlock")
    x, labels = _uniform(69, (2, 4, 4, 3)) * 2.0, _maps(70, (2, 2, 2), 4)
    for filters in (3, 5):
        block = block_class(filters, hidden=2)
        block(_tensor(x), _tensor(labels))
        for name in ("spade_1", "spade_2", "spade_skip")[: 2 if filters == 3 else 3]:
            spade = getattr(block, name)
            expect(
                getattr(spade, "built", False),
                _("the block never called self.{name}: use it in call").format(name=name),
            )
            for conv in ("shared", "gamma_conv", "beta_conv"):
                _set(_conv_layer(spade, conv, name))
        got = _array(block(_tensor(x), _tensor(labels)))
        epsilon = getattr(block.spade_1, "epsilon", 1e-5)
        main = _conv(_leaky(_standardised(x, epsilon)), block.conv_1)
        main = _conv(_leaky(_standardised(main, epsilon)), block.conv_2)
        shortcut = x if filters == 3 else _conv(_standardised(x, epsilon), block.conv_skip)
        _differ(got, main, _("the block returned the main path alone: add the shortcut"), 1e-3)
        if filters != 3:
            _differ(
                got,
                main + _conv(x, block.conv_skip),
                _("the shortcut skipped its SPADE: it is conv_skip(spade_skip(x, label_map))"),
                1e-3,
            )
        if not np.allclose(_leaky(main + shortcut), main + shortcut):
            _differ(
                got,
                _leaky(main + shortcut),
                _("the block ends with an activation after the sum: return main + shortcut"),
                1e-3,
            )
        _close(
            got,
            main + shortcut,
            _(
                "with its SPADEs' convolutions at zero, the block gave {got} at one position, "
                "expected {expected}: conv_2(LeakyReLU_0.2(spade_2(conv_1(LeakyReLU_0.2("
                "spade_1(x)))))) plus the shortcut"
            ),
            1e-3,
        )


# ------------------------------------------------------------------ gaugan_generator


@describe(N_("the generator maps [z, label map] to images of the map's size in [-1, 1]"))
def generator_outputs(ns):
    _tf, keras = _frameworks()
    build = require(ns, "build_gaugan_generator")
    for size, channels in ((16, 1), (8, 3)):
        keras.utils.set_random_seed(71)
        generator = build(
            num_labels=5, z_dim=6, filters=2, image_size=size, channels=channels, hidden=3
        )
        z, labels = _uniform(72, (3, 6)), _maps(73, (3, size, size), 5)
        out = _array(generator([_tensor(z), _tensor(labels)]))
        shapes = [tuple(tensor.shape) for tensor in generator.inputs] + [out.shape]
        wanted = [(None, 6), (None, size, size, 5), (3, size, size, channels)]
        expect(
            shapes == wanted,
            _(
                "the inputs [z, label_map] and the output have shapes {got}, expected {expected}"
            ).format(got=shapes, expected=wanted),
        )
        other = _array(generator([_tensor(z), _tensor(_maps(74, (3, size, size), 5))]))
        _differ(
            out,
            other,
            _("the images do not change with the label map: give it to every block"),
            1e-6,
        )
        scaled = scaled_output(generator, [_tensor(z), _tensor(labels)])
        expect(
            0.9 < np.abs(scaled).max() <= 1.0 + 1e-5,
            _(
                "with large weights the output reaches {low:.2f} .. {high:.2f}: end with tanh"
            ).format(low=float(scaled.min()), high=float(scaled.max())),
        )


@describe(N_("the blocks have filters 4f, 2f, f, ..., then f, with upsamplings between them"))
def generator_blocks(ns):
    _tf, keras = _frameworks()
    build = require(ns, "build_gaugan_generator")
    block_class = require(ns, "SPADEResBlock")
    generator = build(num_labels=5, z_dim=6, filters=2, image_size=32, channels=1, hidden=3)
    blocks = [layer for layer in generator.layers if isinstance(layer, block_class)]
    got = [getattr(block, "filters", None) for block in blocks]
    expect(
        got == [8, 4, 2, 2],
        _(
            "for 32-pixel images and filters 2 the generator's SPADEResBlocks have {got} filters, "
            "expected [8, 4, 2, 2]: filters * 2 ** max(0, 2 - k) for k = 0, 1, 2, then filters"
        ).format(got=got),
    )
    hidden = [getattr(block, "hidden", None) for block in blocks]
    expect(hidden == [3] * 4, _("give hidden to every block; they have {got}").format(got=hidden))
    ups = [layer for layer in generator.layers if isinstance(layer, keras.layers.UpSampling2D)]
    kinds = {layer.interpolation for layer in ups}
    expect(
        kinds <= {"nearest"}, _("upsample with nearest neighbour, not {kinds}").format(kinds=kinds)
    )
    dense = [layer for layer in generator.layers if isinstance(layer, keras.layers.Dense)]
    expect(
        len(ups) == 3 and len(dense) == 1 and dense[0].units == 4 * 4 * 4 * 2,
        _(
            "expected one Dense(4 * 4 * 4 * filters) and three UpSampling2D for 32-pixel images; "
            "found {dense} Dense and {ups} UpSampling2D"
        ).format(dense=len(dense), ups=len(ups)),
    )


# ------------------------------------------------------------------ style_encoder


@describe(N_("the encoder gives [mean, log_var] after three 3 x 3 convolutions of stride 2"))
def encoder_outputs(ns):
    _tf, keras = _frameworks()
    build = require(ns, "build_style_encoder")
    for size, channels in ((16, 1), (32, 3)):
        keras.utils.set_random_seed(75)
        encoder = build(z_dim=5, filters=2, image_size=size, channels=channels)
        out = encoder(_tensor(_uniform(76, (3, size, size, channels))))
        expect(
            isinstance(out, (list, tuple)) and len(out) == 2,
            _("the encoder must return two tensors, [mean, log_var]"),
        )
        mean, log_var = _array(out[0]), _array(out[1])
        expect(
            mean.shape == log_var.shape == (3, 5),
            _("the encoder gave shapes {got}, expected (3, 5) twice for z_dim 5").format(
                got=[mean.shape, log_var.shape]
            ),
        )
        _differ(
            mean, log_var, _("mean and log_var are the same: give each a Dense(z_dim) of its own")
        )
        convs = [layer for layer in encoder.layers if isinstance(layer, keras.layers.Conv2D)]
        plan = [(c.filters, tuple(c.kernel_size), tuple(c.strides), c.padding) for c in convs]
        wanted = [(f, (3, 3), (2, 2), "same") for f in (2, 4, 8)]
        expect(
            plan == wanted,
            _(
                "the encoder's convolutions (filters, kernel, strides, padding) are {got}, "
                "expected {expected}"
            ).format(got=plan, expected=wanted),
        )


@describe(N_("sample_style is mean + exp(log_var / 2) * eps, eps standard normal, seeded"))
def sample_values(ns):
    _tf, keras = _frameworks()
    sample = require(ns, "sample_style")
    mean = _uniform(77, (4000, 3), -2.0, 2.0)
    _close(
        _array(sample(_tensor(mean), _tensor(np.full_like(mean, -80.0)))),
        mean,
        _("sample_style with log_var -80 gave {got}, expected the mean {expected}"),
        1e-5,
    )
    zeros, nine = _tensor(np.zeros_like(mean)), _tensor(np.full_like(mean, np.log(9.0)))
    spread = float(np.std(_array(sample(zeros, nine))))
    expect(
        abs(spread - 3.0) < 0.2,
        _(
            "sample_style with mean 0 and log_var log(9) has standard deviation {got}, expected 3: "
            "exp(log_var / 2) is the standard deviation"
        ).format(got=rounded(spread, 3)),
    )
    small = _tensor(np.zeros((2, 5), np.float32))
    first = _array(sample(small, small, keras.random.SeedGenerator(3)))
    expect(
        np.array_equal(first, _array(sample(small, small, keras.random.SeedGenerator(3)))),
        _("two new SeedGenerator(3) gave different samples: pass seed to keras.random.normal"),
    )
    seed = keras.random.SeedGenerator(3)
    draws = [_array(sample(small, small, seed)) for _ in range(2)]
    expect(
        not np.array_equal(*draws),
        _("two calls with the same SeedGenerator gave the same sample: draw from it each time"),
    )


# ------------------------------------------------------------------ multiscale_discriminator


def _patch_shapes(size, f):
    return [(2, size // 2, size // 2, f)] + [
        (2, size // 4, size // 4, c) for c in (2 * f, 4 * f, 1)
    ]


@describe(N_("the patch discriminator returns three LeakyReLU features and the logits"))
def patch_outputs(ns):
    _tf, keras = _frameworks()
    build = require(ns, "build_patch_discriminator")
    keras.utils.set_random_seed(78)
    patch = build(num_labels=3, filters=2, channels=1)
    for size in (16, 24):
        labels, image = _maps(79, (2, size, size), 3), _uniform(80, (2, size, size, 1))
        out = patch([_tensor(labels), _tensor(image)])
        shapes = [tuple(t.shape) for t in out] if isinstance(out, (list, tuple)) else [out.shape]
        expect(
            shapes == _patch_shapes(size, 2),
            _(
                "for {size} x {size} inputs the patch discriminator gave {got}, expected {expected}"
            ).format(size=size, got=shapes, expected=_patch_shapes(size, 2)),
        )
    convs = [layer for layer in patch.layers if isinstance(layer, keras.layers.Conv2D)]
    expect(len(convs) == 4, _("expected four Conv2D layers, found {n}").format(n=len(convs)))
    out = [_array(t) for t in out]
    first = _leaky(_conv(np.concatenate([labels, image], axis=-1), convs[0], stride=2))
    if not np.allclose(out[0], first, atol=1e-4):
        _differ(
            out[0],
            _leaky(_conv(np.concatenate([image, labels], axis=-1), convs[0], stride=2)),
            _("the discriminator joins [image, label_map]: concatenate [label_map, image]"),
        )
    _close(
        out[0],
        first,
        _(
            "the first feature is {got} at one position, expected {expected}: LeakyReLU(0.2) of "
            "the first convolution (4 x 4, strides 2, same) of [label_map, image]"
        ),
    )
    _close(
        out[3],
        _conv(out[2], convs[3]),
        _("the logits are {got}, expected {expected}: the last convolution, with no activation"),
    )


def _same(outputs, expected):
    return len(outputs) == len(expected) and all(
        np.allclose(_array(a), b, atol=1e-4) for a, b in zip(outputs, expected, strict=True)
    )


@describe(N_("one patch discriminator per scale, each on both inputs average-pooled k times"))
def multiscale_outputs(ns):
    tf, keras = _frameworks()
    build = require(ns, "build_multiscale_discriminator")
    keras.utils.set_random_seed(81)
    model = build(num_labels=3, filters=2, channels=1, scales=2)
    labels, image = _maps(82, (2, 16, 16), 3), _uniform(83, (2, 16, 16, 1))
    out = model([_tensor(labels), _tensor(image)])
    shapes = [[tuple(t.shape) for t in scale] for scale in out]
    wanted = [_patch_shapes(16, 2), _patch_shapes(8, 2)]
    expect(
        shapes == wanted,
        _("for 16 x 16 inputs the scales give shapes {got}, expected {expected}").format(
            got=shapes, expected=wanted
        ),
    )
    patches = [layer for layer in model.layers if isinstance(layer, keras.Model)]
    expect(
        len(patches) == 2,
        _(
            "found {n} patch discriminators: build one for each scale with "
            "build_patch_discriminator"
        ).format(n=len(patches)),
    )
    pooled = [labels, image]
    for k, scale in enumerate(out):
        if k:
            pooled = [_array(tf.nn.avg_pool2d(p, 3, 2, "SAME")) for p in pooled]
        answers = [[_array(t) for t in patch([_tensor(p) for p in pooled])] for patch in patches]
        expect(
            any(_same(scale, answer) for answer in answers),
            _(
                "scale {k} does not give a patch discriminator's outputs for both inputs "
                "average-pooled {k} times (pool 3, strides 2, same padding)"
            ).format(k=k),
        )
    three = build(num_labels=3, filters=2, channels=1, scales=3)([_tensor(labels), _tensor(image)])
    expect(
        len(three) == 3, _("with scales=3 the discriminator gave {n} scales").format(n=len(three))
    )


PUBLIC_CHECKS = {
    "spade": [spade_normalises, spade_modulates],
    "spade_block": [block_layers, block_values],
    "gaugan_generator": [generator_outputs, generator_blocks],
    "style_encoder": [encoder_outputs, sample_values],
    "multiscale_discriminator": [patch_outputs, multiscale_outputs],
}
