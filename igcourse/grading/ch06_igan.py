"""iGAN's correct stand-ins, for grading only.

Correct by the task text, written here in keras.ops: the hidden checks give each part these in
place of the other parts' functions (probes_igan.STAND_INS), so that a mistake costs its own
part alone. Never shipped to students (igcourse.grading stays behind): a correct stand-in is an
answer.
"""

import tensorflow as tf
from keras import ops


def stand_in_masked_colour_loss(images, targets, masks):
    squared = masks * ops.square(images - targets)
    drawn = ops.maximum(ops.sum(masks, axis=(1, 2, 3)), 1.0)
    return ops.mean(ops.sum(squared, axis=(1, 2, 3)) / drawn)


def stand_in_prior_loss(z):
    return ops.mean(0.5 * ops.sum(ops.square(z), axis=-1))


def stand_in_make_projection_step(generator, optimizer, prior_weight):
    @tf.function
    def step(z, targets, masks):
        with tf.GradientTape() as tape:
            images = generator(z, training=False)
            loss = stand_in_masked_colour_loss(images, targets, masks)
            loss = loss + prior_weight * stand_in_prior_loss(z)
        optimizer.apply_gradients([(tape.gradient(loss, z), z)])
        return loss

    return step
