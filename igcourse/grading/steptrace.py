"""What a training step did, seen from inside: the calls it made, in order, with their values.

A probe of a training step hands the code under test networks and stand-in functions that
record every call: who was called, the Python `training` flag, and the values of the inputs
and the output. A check can then say what the step did ("discriminator_loss was called with
D(G(z)) first") instead of guessing a cause from the variables it ended with.

Recording works eagerly and inside a tf.function: the call order and the flags are recorded
when a call runs or is traced (each probe calls each step once), the values through
variables that the graph assigns. Only plain data leaves a probe (`CallLog.plain`); the checks
read it with `label_calls`, which names every value after the known inputs and the earlier
calls' outputs.
"""

from contextlib import contextmanager

import keras
import numpy as np
import tensorflow as tf

from igcourse.i18n import _

UNKNOWN = _("a tensor computed in the step")


class CallLog:
    """The calls of one probe, in order: who, the `training` flag, and the values seen."""

    def __init__(self, slots=32, values_per_call=4):
        self._slots = [
            [
                tf.Variable(np.float32(np.nan), shape=tf.TensorShape(None), trainable=False)
                for _ in range(values_per_call)
            ]
            for _ in range(slots)
        ]
        self.calls = []  # (who, training, number of values recorded, traced in a graph loop)

    def record(self, who, training, *values):
        """Record one call; `values` are its tensor inputs, then its output (None: none)."""
        values = [value for value in values if value is not None]
        if any(isinstance(value, keras.KerasTensor) for value in values):
            return  # Keras building a model symbolically, not a call of the step
        index = len(self.calls)
        kept = values[: len(self._slots[0])] if index < len(self._slots) else ()
        self.calls.append((who, _flag(training), len(kept), _in_graph_loop()))
        for slot, value in zip(self._slots[index] if kept else (), kept, strict=False):
            slot.assign(_fingerprint_tensor(value))

    def plain(self):
        """[{"who", "training", "values": [arrays], "in_loop"}] for every call so far."""
        return [
            {
                "who": who,
                "training": training,
                "values": [np.array(slot.numpy()) for slot in self._slots[index][:count]],
                "in_loop": in_loop,
            }
            for index, (who, training, count, in_loop) in enumerate(self.calls)
        ]


_ACTIVE = [None]  # the CallLog of the step probe running now, if any


@contextmanager
def active(log):
    """While the block runs, `logged` records into `log` (a probe's stand-ins use it)."""
    _ACTIVE[0] = log
    try:
        yield log
    finally:
        _ACTIVE[0] = None


def logged(who, *values):
    """Record a stand-in's call (its tensor arguments, then its result) in the active log, if
    any; return its result."""
    if _ACTIVE[0] is not None:
        _ACTIVE[0].record(who, None, *values)
    return values[-1]


def _in_graph_loop():
    """Whether the call is being traced into the body of a graph loop (a loop over tf.range):
    its body is traced once however often it runs, so counts of calls say nothing there."""
    graph = tf.compat.v1.get_default_graph()
    while graph is not None:
        if "while_body" in getattr(graph, "name", ""):
            return True
        graph = getattr(graph, "outer_graph", None)
    return False


def counts_are_known(calls):
    """Whether the log's numbers of calls are the numbers of calls made (no graph loop)."""
    return not any(call.get("in_loop") for call in calls)


def _flag(training):
    if training is None or isinstance(training, bool):
        return training
    if isinstance(training, (int, np.bool_)):
        return bool(training)
    return "tensor"  # a tensor flag: its value is not known while tracing


# Values up to this size are kept whole; larger ones (images) by a fingerprint: their first
# values, their sum and their sum of squares, enough to tell the step's inputs apart.
WHOLE = 64
HEAD = 32


def _fingerprint_tensor(value):
    value = tf.cast(value, tf.float32)
    if value.shape.is_fully_defined() and value.shape.num_elements() <= WHOLE:
        return value
    flat = tf.reshape(value, [-1])
    return tf.concat([flat[:HEAD], [tf.reduce_sum(flat), tf.reduce_sum(flat * flat)]], 0)


def fingerprint(array):
    """What CallLog keeps of a value: itself when small, else its fingerprint."""
    array = np.asarray(array, np.float32)
    if array.size <= WHOLE:
        return array
    flat = array.reshape(-1).astype(np.float64)
    return np.concatenate([flat[:HEAD], [flat.sum(), (flat * flat).sum()]])


class RecordingNetwork(keras.Model):
    """A built network that records each call in `log` under `who`; same variables."""

    def __init__(self, network, who, log):
        super().__init__(name=f"recording_{who}")
        self.network = network
        self.who = who
        self._log = log
        self.built = True

    def call(self, inputs, training=None):
        outputs = self.network(inputs, training=training)
        # A network of several inputs ([images, labels], say) records each as a value of its own.
        given = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
        self._log.record(self.who, training, *given, outputs)
        return outputs


class RecordingSGD(keras.optimizers.SGD):
    """Plain SGD that records each update it applies in `log`, as
    "<who>.apply_gradients(<networks>)": the networks whose variables it changed (`owners`
    maps a variable's id to its network's name)."""

    def __init__(self, learning_rate, who, log):
        super().__init__(learning_rate)
        self.who = who
        self._log = log
        self.owners = {}

    def apply(self, grads, trainable_variables=None):
        if trainable_variables is not None:
            names = sorted({self.owners.get(id(v), "?") for v in trainable_variables})
            self._log.record(f"{self.who}.apply_gradients({', '.join(names)})", None)
        return super().apply(grads, trainable_variables)


def owners(**networks):
    """{id(variable): name} for the trainable variables of the given networks."""
    return {id(v): name for name, net in networks.items() for v in net.trainable_variables}


# ---------------------------------------------------------------- reading a log
def _same(a, b):
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    if a.shape != b.shape:
        if a.size != b.size or a.size == 0:
            return False
        a, b = a.reshape(-1), b.reshape(-1)  # (B, 1) logits flattened to (B,) are the same
    return bool(np.allclose(a, b, rtol=1e-4, atol=1e-5))


def label_of(value, known):
    """The label of the first known value equal to `value` (both as CallLog keeps them)."""
    for label, array in known:
        if _same(value, array):
            return label
    return None


def label_calls(calls, known):
    """Each call with "inputs": labels of its inputs (None where unknown) and "label": the
    label of its output, such as "discriminator(generator(z))".

    known: [(label, array)] of the step's inputs. Outputs of earlier calls become known too.
    """
    known = [(label, fingerprint(array)) for label, array in known]
    labelled = []
    for call in calls:
        *inputs, output = call["values"] or [None]
        names = [label_of(value, known) for value in inputs]
        shown = ", ".join(name or UNKNOWN for name in names)
        label = f"{call['who']}({shown})" if call["values"] else call["who"]
        if output is not None:
            known.append((label, output))
        labelled.append({**call, "inputs": names, "label": label})
    return labelled


def traced(label):
    """Whether a label names its value completely (nothing in it is of unknown origin)."""
    return bool(label) and UNKNOWN not in label


def of(calls, who):
    """The calls of `who`, in order."""
    return [call for call in calls if call["who"] == who]


def not_training(calls, networks):
    """The networks among `networks` called without training=True, in call order."""
    names = []
    for call in calls:
        if call["who"] in networks and call["training"] is not True and call["who"] not in names:
            names.append(call["who"])
    return names


def describe(step, labelled, networks):
    """One line saying what `step` called, in order: the evidence, without a verdict."""
    if not labelled:
        return _("{step} called none of the networks or functions it was given.").format(step=step)
    shown = "; ".join(
        call["label"] + (_flag_text(call["training"]) if call["who"] in networks else "")
        for call in labelled
    )
    return _("What {step} called, in order: {calls}.").format(step=step, calls=shown)


def _flag_text(training):
    return f" [training={training}]"


def training_finding(step, labelled, networks):
    """A sentence naming the networks `step` called without training=True, or ""."""
    names = not_training(labelled, networks)
    if not names:
        return ""
    return _(
        "{step} called {networks} without training=True, so the layers that act otherwise in "
        "training (batch normalisation, dropout) ran as in inference: pass training=True to "
        "every network call in the step."
    ).format(step=step, networks=" and ".join(names))


def loss_finding(step, labelled, loss, wanted, returned=None):
    """A sentence saying how `step`'s calls of `loss` differ from loss(*wanted), or "".

    wanted: the labels of the arguments the task gives. Only what the log shows is said: an
    argument computed in a way the labels do not cover (a concatenated batch, say) is no
    evidence of a mistake.
    """
    calls = of(labelled, loss)
    wanted_text = "{loss}({args})".format(loss=loss, args=", ".join(wanted))
    if not calls and counts_are_known(labelled):
        return _(
            "{step} never called {loss}: call the function you were given (the check replaces "
            "it by another loss) rather than computing a loss in the step."
        ).format(step=step, loss=loss)
    computed = [call["values"][-1] for call in calls]
    returned_by = [i for i, value in enumerate(computed) if _returned(returned, value)]
    if len(calls) > 1 and counts_are_known(calls):
        if returned_by and returned_by[0] > 0:
            return _(
                "{step} called {loss} {count} times and returned the value of call {which}, "
                "made after the update: return the loss that the update minimised."
            ).format(step=step, loss=loss, count=len(calls), which=returned_by[0] + 1)
        return _("{step} called {loss} {count} times; one call, {wanted}, is expected.").format(
            step=step, loss=loss, count=len(calls), wanted=wanted_text
        )
    if len(calls) != 1 or not counts_are_known(calls):
        return ""
    inputs = tuple(calls[0]["inputs"])
    if not all(traced(name) for name in inputs):
        return ""  # arguments computed in a way the log does not show: no evidence either way
    if len(wanted) > 1 and inputs == tuple(reversed(wanted)):
        return _("{step} called {got}: the arguments are swapped, it should be {wanted}.").format(
            step=step, got=calls[0]["label"], wanted=wanted_text
        )
    if inputs != tuple(wanted):
        return _("{step} called {got}; it should call {wanted}.").format(
            step=step, got=calls[0]["label"], wanted=wanted_text
        )
    if _is_value(returned) and not returned_by:
        return _(
            "{step} returned {got:.6g}, but the {loss} it computed was {computed:.6g}: return "
            "the loss of this update."
        ).format(step=step, got=float(np.mean(returned)), loss=loss, computed=float(computed[0]))
    return ""


def _is_value(returned):
    """A step's return that holds a value (not None, not a probe's error record)."""
    return returned is not None and not isinstance(returned, dict)


def _returned(returned, value):
    return _is_value(returned) and _same(returned, value)


def update_finding(step, labelled, own):
    """A sentence naming an optimiser that changed another network's variables, or "".

    own: {optimiser name: the network whose variables it updates}."""
    for call in labelled:
        optimizer, _sep, rest = call["who"].partition(".apply_gradients(")
        if optimizer in own and rest:
            changed = [name for name in rest.rstrip(")").split(", ") if name != own[optimizer]]
            if changed:
                return _(
                    "{step} applied {optimizer} to the {networks}'s variables; {optimizer} "
                    "updates {own}.trainable_variables only."
                ).format(
                    step=step,
                    optimizer=optimizer,
                    networks=" and ".join(changed),
                    own=own[optimizer],
                )
    return ""


def input_finding(step, labelled, network, wanted):
    """A sentence naming a call of `network` on something else than `wanted`, or ""."""
    for call in of(labelled, network):
        if call["inputs"] and call["inputs"][0] is None:
            return _(
                "{step} called the {network} on a tensor that is not {wanted} (new noise, say): "
                "use the {wanted} the step is given."
            ).format(step=step, network=network, wanted=wanted)
    return ""
