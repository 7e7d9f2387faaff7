package io.github.synapsebgu.exporter.poll;

import io.github.synapsebgu.exporter.synapse.FailureReason;
import io.github.synapsebgu.exporter.synapse.StatusResponse;
import io.github.synapsebgu.exporter.synapse.SynapseException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Waits for an asynchronous status answer, for callers that ask synchronously. */
final class SynapseAwait {
  private SynapseAwait() {}

  static StatusResponse await(CompletableFuture<StatusResponse> asked) throws SynapseException {
    try {
      return asked.get();
    } catch (ExecutionException e) {
      throw asSynapse(e.getCause());
    } catch (InterruptedException e) {
      asked.cancel(true);
      Thread.currentThread().interrupt();
      throw new SynapseException(FailureReason.TIMEOUT, "interrupted while waiting for Synapse");
    } catch (CancellationException e) {
      throw new SynapseException(FailureReason.TIMEOUT, "cancelled while waiting for Synapse");
    }
  }

  private static SynapseException asSynapse(Throwable t) {
    Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    if (cause instanceof SynapseException e) {
      return e;
    }
    if (cause instanceof RuntimeException e) {
      throw e;
    }
    throw new IllegalStateException("unexpected failure", cause);
  }
}
