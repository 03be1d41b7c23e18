"""gradient_penalty differentiates the batch's mean score instead of the sum, dividing every gradient by the batch size (as the book's ProGAN does)."""

# ruff: noqa: F821, E501, B008, F841 (names from the notebook; the reference cell with one edit)

import math  # noqa: F401

import keras  # noqa: F401
import tensorflow as tf  # noqa: F401

PART = "progan_losses"
MISTAKE = "gradient_penalty differentiates the batch's mean score instead of the sum, dividing every gradient by the batch size (as the book's ProGAN does)."


def gradient_penalty(score_fn, real_images, fake_images, epsilon):
    # mean_i (||d sum(score_fn(mixed)) / d mixed_i|| - 1)^2, mixed = eps * real + (1 - eps) * fake
    real_images = tf.convert_to_tensor(real_images, tf.float32)
    fake_images = tf.convert_to_tensor(fake_images, tf.float32)
    mixed = epsilon * real_images + (1.0 - epsilon) * fake_images
    with tf.GradientTape() as tape:
        tape.watch(mixed)
        scores = tf.reduce_mean(score_fn(mixed))
    gradients = tape.gradient(scores, mixed)  # of the sum of the scores: (B, H, W, C)
    norms = tf.sqrt(tf.reduce_sum(tf.square(gradients), axis=[1, 2, 3]) + 1e-12)
    return tf.reduce_mean(tf.square(norms - 1.0))


def progan_critic_loss(real_scores, fake_scores, penalty, gp_weight=10.0, drift_weight=0.001):
    # mean(fake) - mean(real) + gp_weight * penalty + drift_weight * mean(real ** 2)
    wasserstein = keras.ops.mean(fake_scores) - keras.ops.mean(real_scores)
    drift = keras.ops.mean(keras.ops.square(real_scores))
    return wasserstein + gp_weight * penalty + drift_weight * drift


def progan_generator_loss(fake_scores):
    # -mean(fake)
    return -keras.ops.mean(fake_scores)
