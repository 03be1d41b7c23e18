"""Do chapter 1's public checks fail wrong answers with a message that points at the fix?

What every chapter's public checks must do (cover the parts, pass the reference, fail the
untouched release) is asked in tests/test_public_checks.py.
"""

import pytest
from public_checks import ChapterModules, run_part

CHAPTER = "ch01_pixelcnn"
MODULES = ChapterModules(CHAPTER)


def test_missing_name_says_what_to_define(capsys):
    """Does a part whose function is missing ask the student to define it?"""
    passed, report = run_part(CHAPTER, "causal_mask", {}, capsys)
    assert not passed
    assert "define `causal_mask` in the cell above" in report


# Each mutant: (part, one realistic wrong answer run on top of the reference, a phrase the
# report must contain so that the student knows what to fix).
MUTANTS = {
    "quantize_uint8_wraps": (
        "quantize",
        """
        def quantize(images, levels):
            return np.floor(images * levels / 256).astype(np.int32)
        """,
        "wrapped around",
    ),
    "quantize_uint8_floor_division": (
        "quantize",
        """
        def quantize(images, levels):
            return (images * levels // 256).astype(np.int32)
        """,
        "wider integer type",
    ),
    "quantize_rounds": (
        "quantize",
        """
        def quantize(images, levels):
            return np.round(images / 255 * (levels - 1)).astype(np.int32)
        """,
        "expected",
    ),
    "pixel_model_denominator_without_alpha": (
        "pixel_model",
        """
        _reference_fit = fit_pixel_model
        def fit_pixel_model(images, levels, alpha=1.0):
            n = len(images)
            return _reference_fit(images, levels, alpha) * (n + alpha * levels) / n
        """,
        "sum to 1",
    ),
    "pixel_sampling_global_random": (
        "pixel_sampling",
        """
        def sample_pixel_model(probs, n, rng):
            cdf = np.cumsum(probs, axis=-1)
            u = np.random.random((n,) + probs.shape[:2] + (1,))
            return np.minimum((u >= cdf).sum(axis=-1), probs.shape[-1] - 1)
        """,
        "from `rng`",
    ),
    "pixel_sampling_most_likely": (
        "pixel_sampling",
        """
        def sample_pixel_model(probs, n, rng):
            return np.broadcast_to(np.argmax(probs, axis=-1), (n,) + probs.shape[:2]).copy()
        """,
        "same images",
    ),
    "pixel_bits_in_nats": (
        "pixel_bits_per_dim",
        """
        def pixel_model_bits_per_dim(probs, images):
            rows, cols = np.indices(probs.shape[:2])
            return float(-np.mean(np.log(probs[rows, cols, images])))
        """,
        "use log base 2",
    ),
    "mix_pixels_whole_images": (
        "mix_pixels",
        """
        def mix_pixels(images, n, rng):
            return images[rng.integers(0, len(images), size=n)]
        """,
        "from a single image",
    ),
    "mask_a_shows_centre": (
        "causal_mask",
        """
        _reference_mask = causal_mask
        def causal_mask(kernel_size, mask_type, in_channels=1, out_channels=1):
            return _reference_mask(kernel_size, "B", in_channels, out_channels)
        """,
        "the centre only for type B",
    ),
    "mask_without_checks": (
        "causal_mask",
        """
        def causal_mask(kernel_size, mask_type, in_channels=1, out_channels=1):
            c = kernel_size // 2
            mask = np.zeros((kernel_size, kernel_size, in_channels, out_channels), np.float32)
            mask[:c] = 1
            mask[c, : c + (mask_type == "B")] = 1
            return mask
        """,
        "must raise ValueError",
    ),
    "masked_conv_unmasked": (
        "masked_conv",
        """
        class MaskedConv2D(MaskedConv2D):
            def call(self, inputs):
                return keras.ops.conv(inputs, self.kernel, strides=1, padding="same") + self.bias
        """,
        "not multiplied by the mask",
    ),
    "masked_conv_assigns_in_call": (
        "masked_conv",
        """
        class MaskedConv2D(MaskedConv2D):
            def call(self, inputs):
                self.kernel.assign(self.kernel * self.mask)
                return keras.ops.conv(inputs, self.kernel, strides=1, padding="same") + self.bias
        """,
        "do not assign to weights in call",
    ),
    "masked_conv_relu_inside": (
        "masked_conv",
        """
        class MaskedConv2D(MaskedConv2D):
            def call(self, inputs):
                return keras.ops.relu(super().call(inputs))
        """,
        "remove the activation",
    ),
    "residual_block_without_skip": (
        "residual_block",
        """
        class MaskedResidualBlock(MaskedResidualBlock):
            def call(self, inputs):
                return super().call(inputs) - inputs
        """,
        "residual connection",
    ),
    "residual_block_relu_after_sum": (
        "residual_block",
        """
        class MaskedResidualBlock(MaskedResidualBlock):
            def call(self, inputs):
                return keras.ops.relu(super().call(inputs))
        """,
        "a ReLU comes after the addition",
    ),
    "residual_block_post_activation": (
        "residual_block",
        """
        class MaskedResidualBlock(MaskedResidualBlock):
            def call(self, inputs):
                x = keras.ops.relu(self.reduce(inputs))
                x = keras.ops.relu(self.spatial(x))
                return inputs + self.expand(x)
        """,
        "a ReLU comes before each convolution",
    ),
    "model_first_mask_b": (
        "pixelcnn_model",
        """
        def build_pixelcnn(image_shape=(28, 28, 1), filters=64, residual_blocks=7, levels=2):
            inputs = keras.Input(shape=image_shape)
            x = MaskedConv2D(2 * filters, 7, "B")(inputs)
            for _ in range(residual_blocks):
                x = MaskedResidualBlock(filters)(x)
            x = MaskedConv2D(filters, 1, "B")(keras.layers.ReLU()(x))
            outputs = MaskedConv2D(1 if levels == 2 else levels, 1, "B")(keras.layers.ReLU()(x))
            return keras.Model(inputs, outputs)
        """,
        "type-A mask",
    ),
    "model_plain_head": (
        "pixelcnn_model",
        """
        def build_pixelcnn(image_shape=(28, 28, 1), filters=64, residual_blocks=7, levels=2):
            inputs = keras.Input(shape=image_shape)
            x = MaskedConv2D(2 * filters, 7, "A")(inputs)
            for _ in range(residual_blocks):
                x = MaskedResidualBlock(filters)(x)
            x = keras.layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
            return keras.Model(inputs, keras.layers.Conv2D(1 if levels == 2 else levels, 1)(x))
        """,
        "not before it in raster order",
    ),
    "bits_in_nats": (
        "bits_per_dim",
        """
        _reference_bits = bits_per_dim
        def bits_per_dim(images, logits):
            return _reference_bits(images, logits) * math.log(2.0)
        """,
        "divide by ln 2",
    ),
    "bits_log_of_sigmoid": (
        "bits_per_dim",
        """
        def bits_per_dim(images, logits):
            p = tf.sigmoid(logits)
            x = tf.cast(images, tf.float32)
            nats = -(x * tf.math.log(p) + (1 - x) * tf.math.log(1 - p))
            return tf.reduce_mean(nats) / math.log(2.0)
        """,
        "from_logits=True",
    ),
    "sampling_one_pass": (
        "sampling",
        """
        def sample_pixelcnn(model, n, seed=0, levels=2):
            height, width = model.input_shape[1:3]
            logits = model(tf.zeros((n, height, width, 1)))
            if logits.shape[-1] == 1:
                logits = tf.concat([tf.zeros_like(logits), logits], axis=-1)
            flat = tf.reshape(logits, (-1, logits.shape[-1]))
            values = tf.random.stateless_categorical(flat, 1, seed=(seed, 0), dtype=tf.int32)
            return tf.reshape(values, (n, height, width, 1)).numpy()
        """,
        "one at a time in raster order",
    ),
    "sampling_unscaled_input": (
        "sampling",
        """
        _reference_sample = sample_pixelcnn
        def sample_pixelcnn(model, n, seed=0, levels=2):
            return _reference_sample(model, n, seed=seed, levels=2)
        """,
        "divided by levels - 1",
    ),
    "train_step_unscaled_input": (
        "train_step",
        """
        def make_train_step(model, optimizer, levels=2):
            @tf.function
            def step(images):
                with tf.GradientTape() as tape:
                    loss = bits_per_dim(images, model(tf.cast(images, tf.float32)))
                gradients = tape.gradient(loss, model.trainable_variables)
                optimizer.apply_gradients(zip(gradients, model.trainable_variables))
                return loss
            return step
        """,
        "with levels=4",
    ),
    "train_step_no_update": (
        "train_step",
        """
        def make_train_step(model, optimizer, levels=2):
            @tf.function
            def step(images):
                return bits_per_dim(images, model(tf.cast(images, tf.float32) / (levels - 1)))
            return step
        """,
        "apply_gradients",
    ),
}


@pytest.mark.parametrize("mutant", sorted(MUTANTS))
def test_mutant_fails_with_a_hint(mutant, tmp_path, capsys):
    """Does each realistic wrong answer fail its part, with a message that points at the fix?"""
    part, patch, phrase = MUTANTS[mutant]
    passed, report = run_part(CHAPTER, part, MODULES.namespace(tmp_path, part, patch=patch), capsys)
    assert not passed, report
    assert phrase in report, report


def test_the_report_renders_as_an_html_table_with_escaped_messages():
    from igcourse.checks import CheckResult, report_html

    results = [
        CheckResult("the 3x3 masks", "causal_mask", "passed"),
        CheckResult("larger kernels", "causal_mask", "failed", "expected <1 0 0>"),
    ]
    page = report_html("causal_mask: 1 of 2 public checks passed", results)
    assert page.count("<tr") == 2 and "#fde7e9" in page and "#e6f4ea" in page
    assert "expected &lt;1 0 0&gt;" in page and "<1 0 0>" not in page


def test_outside_a_notebook_the_report_is_plain_text(capsys):
    import pytest

    from igcourse.checks import check_part

    with pytest.raises(AssertionError):  # images // 128 keeps uint8 and ignores levels
        check_part("ch01_pixelcnn", "quantize", {"quantize": lambda images, levels: images // 128})
    out = capsys.readouterr().out
    assert "quantize: " in out and "<table" not in out
