"""Batches by step number, so a resumed run sees exactly the batches it would have seen."""

import queue
import threading

from igcourse.data.batching import ArraySource, Batches


class StepBatches:
    """The batches of a run from step `start` on, without end.

    Step s takes batch s % len(epoch) of epoch s // len(epoch), and epoch k is shuffled by
    (seed, k) as igcourse.data.Batches does: the batch of a step depends on (arrays,
    batch_size, seed, s) alone, not on where the run started.
    """

    def __init__(self, arrays, batch_size, seed=0, start=0):
        self.batches = Batches(ArraySource(*arrays), batch_size, seed=seed)
        self.batch_size = batch_size
        self.drop_remainder = True
        self.start = start
        self._epoch, self._order = None, None

    def batch(self, step):
        """The tuple of arrays of step `step`."""
        epoch, index = divmod(step, len(self.batches))
        if epoch != self._epoch:
            self._epoch, self._order = epoch, self.batches.order(epoch)
        size = self.batch_size
        return self.batches.source.take(self._order[index * size : (index + 1) * size])

    def peek(self):
        return self.batch(self.start)

    def arrays(self):
        """The arrays batches are taken from, when they are in memory; else None."""
        source = self.batches.source
        return source.arrays if isinstance(source, ArraySource) else None

    def index_rows(self):
        """Without end, from step `start` on: one (steps, batch_size) array of item indices
        per epoch (the first one starts mid-epoch on a resumed run). Row r of the first
        array holds the items of step `start + r`, and so on: the items batch(step) takes."""
        steps_per_epoch = len(self.batches)
        epoch, index = divmod(self.start, steps_per_epoch)
        while True:
            order = self.batches.order(epoch)[: steps_per_epoch * self.batch_size]
            yield order.reshape(steps_per_epoch, self.batch_size)[index:]
            epoch, index = epoch + 1, 0

    def __iter__(self):
        step = self.start
        while True:
            yield self.batch(step)
            step += 1


class Prefetch:
    """Items of `iterable`, passed through `transform`, made ahead on a background thread."""

    def __init__(self, iterable, transform=None, size=4):
        self._queue = queue.Queue(maxsize=size)
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._fill, args=(iter(iterable), transform), daemon=True
        )
        self._thread.start()

    def _fill(self, iterator, transform):
        try:
            for item in iterator:
                item = transform(item) if transform else item
                while not self._stop.is_set():
                    try:
                        self._queue.put((True, item), timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if self._stop.is_set():
                    return
            self._queue.put((False, StopIteration()))
        except BaseException as error:  # handed to the consumer, raised there
            self._queue.put((False, error))

    def __iter__(self):
        return self

    def __next__(self):
        ok, item = self._queue.get()
        if not ok:
            raise item
        return item

    def close(self):
        self._stop.set()
        self._thread.join(timeout=5)
