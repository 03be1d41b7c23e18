"""make_transfer_step's step computes extractor(image) before the tape opens, so the content and
style terms give the image no gradient."""

# ruff: noqa: F821 (names from the notebook)
import tensorflow as tf

PART = "transfer_step"
MISTAKE = (
    "make_transfer_step's step computes extractor(image) before the tape opens, so the "
    "content and style terms give the image no gradient."
)


def make_transfer_step(
    extractor, content_targets, style_targets, optimizer, content_weight, style_weight, tv_weight
):
    def losses_of(image, features):
        return transfer_loss(
            features,
            image,
            content_targets,
            style_targets,
            content_weight,
            style_weight,
            tv_weight,
        )

    @tf.function
    def step(image):
        features = extractor(image)
        with tf.GradientTape() as tape:
            losses = losses_of(image, features)
        gradient = tape.gradient(losses[0], image)
        optimizer.apply_gradients([(gradient, image)])
        image.assign(tf.clip_by_value(image, 0.0, 1.0))
        return losses

    return step
