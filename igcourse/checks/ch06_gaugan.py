"""Public checks of chapter 6's GauGAN notebook (gaugan.ipynb).

Light checks on tiny inputs that say what to fix, against NumPy. They run on the student's own
functions; the layers are checked with their convolutions set to chosen weights (zero, or a
centre tap), so that the expected output is a formula. The training step is checked on tiny
networks of the check's own (not the task's), whose encoder gives log-variances of -60 so that
z is the mean and the losses can be recomputed before and after the update.
"""

import numpy as np

from igcourse.checks import N_, describe, expect, require, rounded
from igcourse.checks.ch03_gan import _changed, _frameworks
from igcourse.checks.ch04_cyclegan import _tensor
from igcourse.checks.handed_in import load_handed_in
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


@describe(N_("the shortcut is a SPADE and a 1 x 1 convolution exactly when the channels change"))
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


# ------------------------------------------------------------------ gaugan_losses


def _outputs(seed):
    """A two-scale discriminator's outputs: per scale two features and the logits."""
    rng = np.random.default_rng(seed)
    shapes = ((2, 4, 4, 3), (2, 2, 2, 5), (2, 2, 2, 1))
    return [[rng.uniform(-2.5, 2.5, s).astype(np.float32) for s in shapes] for _scale in range(2)]


def _tensors(outputs):
    return [[_tensor(t) for t in scale] for scale in outputs]


def _hinge(real, fake):
    margins = [
        np.maximum(1 - r[-1], 0).mean() + np.maximum(1 + f[-1], 0).mean()
        for r, f in zip(real, fake, strict=True)
    ]
    return float(np.mean(margins)), float(np.sum(margins))


def _matching(real, fake, last=-1):
    return float(
        np.mean(
            [
                np.mean([np.abs(r - f).mean() for r, f in zip(rs[:last], fs[:last], strict=True)])
                for rs, fs in zip(real, fake, strict=True)
            ]
        )
    )


@describe(N_("hinge losses: the mean over scales; the generator's is -mean(fake logits)"))
def hinge_values(ns):
    d_loss = require(ns, "discriminator_hinge_loss")
    g_loss = require(ns, "generator_hinge_loss")
    real, fake = _outputs(84), _outputs(85)
    expected, summed = _hinge(real, fake)
    got = float(_array(d_loss(_tensors(real), _tensors(fake))))
    _differ(got, summed, _("discriminator_hinge_loss sums the scales: take their mean"))
    _close(
        got,
        expected,
        _(
            "discriminator_hinge_loss gave {got}, expected {expected}: the mean over scales of "
            "mean(relu(1 - real logits)) + mean(relu(1 + fake logits)), the logits last"
        ),
    )
    _close(
        float(_array(g_loss(_tensors(fake)))),
        -np.mean([f[-1].mean() for f in fake]),
        _(
            "generator_hinge_loss gave {got}, expected {expected}: -mean over scales of "
            "mean(logits)"
        ),
    )


@describe(N_("feature matching: mean |real - fake| of the features, real held constant"))
def feature_matching_values(ns):
    tf, _keras = _frameworks()
    loss = require(ns, "feature_matching_loss")
    real, fake = _outputs(86), _outputs(87)
    real_vars = [[tf.Variable(t) for t in scale] for scale in real]
    fake_vars = [[tf.Variable(t) for t in scale] for scale in fake]
    with tf.GradientTape(persistent=True) as tape:
        value = loss(real_vars, fake_vars)
    got = float(_array(value))
    _differ(
        got,
        _matching(real, fake, None),
        _("feature_matching_loss includes the logits: leave them out"),
    )
    _close(
        got,
        _matching(real, fake),
        _(
            "feature_matching_loss gave {got}, expected {expected}: the mean over scales of the "
            "mean over features (not the logits) of mean |real - fake|"
        ),
    )
    real_grad = tape.gradient(value, real_vars[0][0])
    expect(
        real_grad is None or not np.any(_array(real_grad)),
        _(
            "feature_matching_loss has a gradient for the real features: use "
            "keras.ops.stop_gradient"
        ),
    )


@describe(N_("the KL divergence is summed over the code and averaged over the batch"))
def kl_values(ns):
    kl = require(ns, "kl_divergence")
    mean, log_var = _uniform(88, (4, 3), -2, 2), _uniform(89, (4, 3), -2, 1)
    terms = -0.5 * (1 + log_var - mean.astype(np.float64) ** 2 - np.exp(log_var))
    got = float(_array(kl(_tensor(mean), _tensor(log_var))))
    _differ(got, terms.mean(), _("kl_divergence averages over the code too: sum over it"))
    _close(got, terms.sum(axis=1).mean(), _("kl_divergence gave {got}, expected {expected}"))


@describe(N_("perceptual loss: the weighted mean |f(real) - f(fake)|, real held constant"))
def perceptual_values(ns):
    tf, _keras = _frameworks()
    loss = require(ns, "perceptual_loss")
    seen = []

    def extractor(images):
        seen.append(tuple(images.shape))
        return [tf.tanh(images / 100.0), tf.nn.avg_pool2d(images, 2, 2, "VALID") / 50.0]

    def features(x):
        x = np.asarray(x, np.float64)
        return [np.tanh(x / 100.0), x.reshape(2, 4, 2, 4, 2, 3).mean(axis=(2, 4)) / 50.0]

    real, fake = _uniform(90, (2, 8, 8, 3), -120, 150), _uniform(91, (2, 8, 8, 3), -120, 150)
    real_var, fake_var = tf.Variable(real), tf.Variable(fake)
    with tf.GradientTape(persistent=True) as tape:
        value = loss(extractor, real_var, fake_var, (0.5, 2.0))
    expect(
        seen == [(2, 8, 8, 3)] * 2,
        _("the extractor got shapes {got}: give it real and fake as they are, once each").format(
            got=seen
        ),
    )
    pairs = zip((0.5, 2.0), features(real), features(fake), strict=True)
    _close(
        float(_array(value)),
        sum(w * np.abs(a - b).mean() for w, a, b in pairs),
        _(
            "perceptual_loss gave {got}, expected {expected}: the sum over i of layer_weights[i] "
            "* mean |f_i(real) - f_i(fake)|, f_i the extractor's i-th feature map"
        ),
        1e-3,
    )
    real_grad = tape.gradient(value, real_var)
    expect(
        real_grad is None or not np.any(_array(real_grad)),
        _("perceptual_loss has a gradient for the real images: hold their features constant"),
    )


# ------------------------------------------------------------------ gaugan_step


def _tiny_networks():
    """A generator, an encoder (log-variances -60: z is the mean) and a two-scale discriminator of
    one feature and the logits per scale, on 8 x 8 images and 3 labels."""
    _tf, keras = _frameworks()
    layers = keras.layers
    keras.utils.set_random_seed(92)
    z, maps = keras.Input((3,)), keras.Input((8, 8, 3))
    grid = layers.Reshape((8, 8, 1))(layers.Dense(64)(z))
    painted = layers.Conv2D(1, 3, padding="same", activation="tanh")(
        layers.Concatenate()([grid, maps])
    )
    pictures = keras.Input((8, 8, 1))
    flat = layers.Flatten()(pictures)
    spread = layers.Dense(
        3, kernel_initializer="zeros", bias_initializer=keras.initializers.Constant(-60.0)
    )(flat)
    label_in, image_in = keras.Input((None, None, 3)), keras.Input((None, None, 1))
    scales, pair = [], layers.Concatenate()([label_in, image_in])
    for k in range(2):
        pair = layers.AveragePooling2D(2)(pair) if k else pair
        feature = layers.LeakyReLU(negative_slope=0.3)(
            layers.Conv2D(2, 3, strides=2, padding="same")(pair)
        )
        scales.append([feature, layers.Conv2D(1, 3, padding="same")(feature)])
    return (
        keras.Model([z, maps], painted),
        keras.Model(pictures, [layers.Dense(3)(flat), spread]),
        keras.Model([label_in, image_in], scales),
    )


def _g_terms(generator, encoder, discriminator, images, maps):
    """[hinge, feature matching, KL, mean squared error] of the generator's losses, and D's loss."""
    mean, log_var = (_array(t) for t in encoder(_tensor(images)))
    fake = _array(generator([_tensor(mean), _tensor(maps)]))
    real_out = [[_array(t) for t in s] for s in discriminator([_tensor(maps), _tensor(images)])]
    fake_out = [[_array(t) for t in s] for s in discriminator([_tensor(maps), _tensor(fake)])]
    kl = np.mean(-0.5 * np.sum(1 + log_var - mean**2 - np.exp(log_var), axis=1))
    hinge = -np.mean([s[-1].mean() for s in fake_out])
    terms = [hinge, _matching(real_out, fake_out), kl, np.mean((images - fake) ** 2)]
    return terms, _hinge(real_out, fake_out)[0]


@describe(N_("one step updates D, then G and the encoder, and returns the five losses"))
def step_updates(ns):
    _tf, keras = _frameworks()
    make = require(ns, "make_gaugan_step")
    networks = _tiny_networks()
    images, maps = _uniform(93, (4, 8, 8, 1)), _maps(94, (4, 8, 8), 3)
    before = [net.get_weights() for net in networks]
    start = [[_array(v) for v in net.trainable_variables] for net in networks]
    _terms, d_expected = _g_terms(*networks, images, maps)

    def squared(real, fake):
        return keras.ops.mean(keras.ops.square(real - fake))

    sgd = keras.optimizers.SGD
    step = make(
        *networks[:3],
        sgd(0.05),
        sgd(0.05),
        feature_weight=2.0,
        kl_weight=0.01,
        perceptual=squared,
        perceptual_weight=3.0,
        seed=keras.random.SeedGenerator(1),
    )
    losses = step(_tensor(images), _tensor(maps))
    keys = ["d_loss", "feature_loss", "g_loss", "kl_loss", "perceptual_loss"]
    expect(
        isinstance(losses, dict) and sorted(losses) == keys,
        _("the step must return a dict with the keys {keys}").format(keys=keys),
    )
    got = {key: float(_array(value)) for key, value in losses.items()}
    for net, values, name in zip(
        networks, start, ("generator", "encoder", "discriminator"), strict=True
    ):
        expect(_changed(values, net), _("the step did not change the {name}").format(name=name))
    _close(
        got["d_loss"],
        d_expected,
        _(
            "d_loss is {got}, expected {expected}: the hinge loss of discriminator([label_maps, "
            "images]) and discriminator([label_maps, fake]) before any update"
        ),
        1e-3,
    )
    after = [net.get_weights() for net in networks]
    for net, weights in zip(networks[:2], before[:2], strict=True):
        net.set_weights(weights)
    terms, _d = _g_terms(*networks, images, maps)  # G and E before, D after their updates
    networks[2].set_weights(before[2])
    stale, _d = _g_terms(*networks, images, maps)  # all three before
    for net, weights in zip(networks, after, strict=True):
        net.set_weights(weights)
    weights = np.array([1.0, 2.0, 0.01, 3.0])
    total, stale_total = float(np.dot(weights, terms)), float(np.dot(weights, stale))
    if abs(total - stale_total) > 1e-3:
        _differ(
            got["g_loss"],
            stale_total,
            _("g_loss used D before its update: update D first, then the generator on a new tape"),
            1e-4,
        )
    for key, value in zip(keys[1:], (terms[1], total, terms[2], terms[3]), strict=True):
        expect(
            abs(got[key] - value) < 2e-3 * max(1.0, abs(value)),
            _(
                "{key} is {got}, expected {expected} (feature_weight 2, kl_weight 0.01, "
                "perceptual_weight 3; the terms unweighted, g_loss the hinge loss plus their "
                "weighted sum)"
            ).format(key=key, got=rounded(got[key], 5), expected=rounded(value, 5)),
        )
    plain = make(*networks[:3], sgd(0.01), sgd(0.01))
    without = float(_array(plain(_tensor(images), _tensor(maps))["perceptual_loss"]))
    expect(
        without == 0.0,
        _("without perceptual, perceptual_loss should be 0.0, not {got}").format(got=without),
    )


# ------------------------------------------------------------------ trained_gaugan

TRAINED_WEIGHTS = "gaugan_generator.weights.h5"
TRAINED_SETTINGS = "gaugan_generator.json"
SETTINGS_KEYS = ("num_labels", "z_dim", "filters", "image_size", "channels", "hidden")


@describe(N_("the trained generator's two files are next to the notebook and load"))
def trained_gaugan_files(ns):
    build = require(ns, "build_gaugan_generator")
    generator, (labels, z_dim, _filters, size, channels, _hidden) = load_handed_in(
        build, "build_gaugan_generator", TRAINED_WEIGHTS, TRAINED_SETTINGS, SETTINGS_KEYS
    )
    maps = np.zeros((8, size, size), np.int64)
    for i in range(8):  # a square item of class i % (labels - 1) in the middle
        maps[i, size // 4 : 3 * size // 4, size // 4 : 3 * size // 4] = 1 + i % (labels - 1)
    z = np.random.default_rng(95).standard_normal((8, z_dim)).astype(np.float32)
    images = _array(generator([_tensor(z), _tensor(np.eye(labels, dtype=np.float32)[maps])]))
    expect(
        images.shape == (8, size, size, channels) and bool(np.all(np.abs(images) <= 1.0 + 1e-5)),
        _(
            "the generator loaded from {weights} gives shape {shape}, values {low:.2f} .. "
            "{high:.2f}; expected images {expected} in [-1, 1]"
        ).format(
            weights=TRAINED_WEIGHTS,
            shape=images.shape,
            low=float(np.nanmin(images)),
            high=float(np.nanmax(images)),
            expected=(8, size, size, channels),
        ),
    )


PUBLIC_CHECKS = {
    "spade": [spade_normalises, spade_modulates],
    "spade_block": [block_layers, block_values],
    "gaugan_generator": [generator_outputs, generator_blocks],
    "style_encoder": [encoder_outputs, sample_values],
    "multiscale_discriminator": [patch_outputs, multiscale_outputs],
    "gaugan_losses": [hinge_values, feature_matching_values, kl_values, perceptual_values],
    "gaugan_step": [step_updates],
    "trained_gaugan": [trained_gaugan_files],
}
