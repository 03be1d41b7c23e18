"""Do chapter 5's public checks fail wrong answers with a message that points at the fix?

The wrong answers are written here, each a cell's worth of code run on top of the reference as
a student's cell would be (the chapter has no zoo of mutants yet). What every chapter's public
checks must do (cover the parts, pass the reference, fail the untouched release) is asked in
tests/test_public_checks.py.
"""

import pytest
from public_checks import ChapterModules, run_part

CHAPTER = "ch05_style_transfer"
MODULES = ChapterModules(CHAPTER)

# name: (part, the wrong code, a phrase the report must contain)
WRONG = {
    "preprocess_flipped_twice": (  # the book's bug
        "vgg_preprocess",
        """
        def vgg_preprocess(images):
            bgr = tf.reverse(tf.convert_to_tensor(images) * 255.0, axis=[-1])
            return keras.applications.vgg19.preprocess_input(bgr)
        """,
        "the channels are still in RGB order",
    ),
    "preprocess_not_scaled": (
        "vgg_preprocess",
        """
        def vgg_preprocess(images):
            return keras.applications.vgg19.preprocess_input(np.array(images))
        """,
        "were not multiplied by 255",
    ),
    "preprocess_means_in_rgb_order": (
        "vgg_preprocess",
        """
        def vgg_preprocess(images):
            return keras.ops.flip(images * 255.0, axis=-1) - np.array([123.68, 116.779, 103.939])
        """,
        "subtract (103.939, 116.779, 123.68) from the B, G and R channels",
    ),
    "preprocess_numpy_only": (
        "vgg_preprocess",
        """
        def vgg_preprocess(images):
            return np.flip(np.asarray(images) * 255.0, axis=-1) - np.array(IMAGENET_MEANS_BGR)
        """,
        "write it with keras.ops or tf",
    ),
    "style_loss_own_gram": (
        "nst_losses",
        """
        def style_loss(features, target_grams):
            grams = [keras.ops.einsum("bhwc,bhwd->bcd", f, f) / (f.shape[1] * f.shape[2])
                     for f in features]
            return keras.ops.mean(keras.ops.stack(
                [keras.ops.mean(keras.ops.square(g - a)) for g, a in zip(grams, target_grams)]))
        """,
        "style_loss never called gram_matrix",
    ),
    "extractor_without_preprocessing": (
        "feature_extractor",
        """
        def build_feature_extractor(vgg, content_layers=CONTENT_LAYERS, style_layers=STYLE_LAYERS):
            outputs = {
                "content": [vgg.get_layer(name).output for name in content_layers],
                "style": [vgg.get_layer(name).output for name in style_layers],
            }
            return keras.Model(vgg.inputs, outputs)
        """,
        "the network reads the images as they are",
    ),
    "extractor_preprocessing_twice": (
        "feature_extractor",
        """
        def build_feature_extractor(vgg, content_layers=CONTENT_LAYERS, style_layers=STYLE_LAYERS):
            images = keras.Input((None, None, 3))
            x = keras.layers.Lambda(vgg_preprocess)(keras.layers.Lambda(vgg_preprocess)(images))
            outputs = {
                "content": [vgg.get_layer(name).output for name in content_layers],
                "style": [vgg.get_layer(name).output for name in style_layers],
            }
            return keras.Model(images, keras.Model(vgg.inputs, outputs)(x))
        """,
        "vgg_preprocess is applied twice",
    ),
    "extractor_fixed_layers": (
        "feature_extractor",
        """
        def build_feature_extractor(vgg, content_layers=CONTENT_LAYERS, style_layers=STYLE_LAYERS):
            images = keras.Input((None, None, 3))
            x = keras.layers.Lambda(vgg_preprocess)(images)
            outputs = {
                "content": [vgg.get_layer(name).output for name in CONTENT_LAYERS],
                "style": [vgg.get_layer(name).output for name in STYLE_LAYERS],
            }
            return keras.Model(images, keras.Model(vgg.inputs, outputs)(x))
        """,
        "expected [1, 2]",
    ),
    "gram_not_averaged": (
        "gram_matrix",
        """
        def gram_matrix(features):
            return keras.ops.einsum("bhwc,bhwd->bcd", features, features)
        """,
        "not divided by the number of positions",
    ),
    "gram_over_the_batch": (
        "gram_matrix",
        """
        def gram_matrix(features):
            flat = keras.ops.reshape(features, (-1, features.shape[-1]))
            gram = keras.ops.matmul(keras.ops.transpose(flat), flat) / flat.shape[0]
            return keras.ops.repeat(gram[None], features.shape[0], axis=0)
        """,
        "both samples got the same Gram matrix",
    ),
    "content_summed_over_layers": (
        "nst_losses",
        """
        def content_loss(features, targets):
            return sum(keras.ops.mean(keras.ops.square(f - p)) for f, p in zip(features, targets))
        """,
        "average them over the layers",
    ),
    "tv_squared": (
        "nst_losses",
        """
        def total_variation(images):
            down = keras.ops.square(images[:, 1:] - images[:, :-1])
            across = keras.ops.square(images[:, :, 1:] - images[:, :, :-1])
            return keras.ops.mean(down) + keras.ops.mean(across)
        """,
        "squares the differences",
    ),
    "transfer_loss_targets_swapped": (
        "nst_losses",
        """
        def transfer_loss(features, images, content_targets, style_targets, cw, sw, tw):
            content = content_loss(features["style"], content_targets)
            style = style_loss(features["content"], style_targets)
            tv = total_variation(images)
            return cw * content + sw * style + tw * tv, content, style, tv
        """,
        "transfer_loss returned",
    ),
    "step_updates_the_network": (
        "transfer_step",
        """
        def make_transfer_step(extractor, content_targets, style_targets, optimizer, cw, sw, tw):
            @tf.function
            def step(image):
                variables = [image, *extractor.trainable_variables]
                with tf.GradientTape() as tape:
                    losses = transfer_loss(
                        extractor(image), image, content_targets, style_targets, cw, sw, tw
                    )
                optimizer.apply_gradients(zip(tape.gradient(losses[0], variables), variables))
                image.assign(tf.clip_by_value(image, 0.0, 1.0))
                return losses

            return step
        """,
        "the step changed the network's weights",
    ),
    "step_without_clipping": (
        "transfer_step",
        """
        def make_transfer_step(extractor, content_targets, style_targets, optimizer, cw, sw, tw):
            @tf.function
            def step(image):
                with tf.GradientTape() as tape:
                    losses = transfer_loss(
                        extractor(image), image, content_targets, style_targets, cw, sw, tw
                    )
                optimizer.apply_gradients([(tape.gradient(losses[0], image), image)])
                return losses

            return step
        """,
        "clip it back to [0, 1]",
    ),
}


@pytest.mark.parametrize("name", sorted(WRONG))
def test_a_wrong_answer_fails_with_a_hint(name, tmp_path, capsys):
    part, patch, phrase = WRONG[name]
    namespace = MODULES.namespace(tmp_path, part, patch=patch)
    passed, report = run_part(CHAPTER, part, namespace, capsys)
    assert not passed, report
    assert phrase in report, report
    assert "raised" not in report, report  # a verdict, not an error in the checks
