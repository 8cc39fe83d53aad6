package io.courier.loadtest;

import io.courier.protocol.Message;

/** What a reply's verdict adds to its thread's run: a latency, a wrong or duplicate reply, an error reply, an event. */
final class ReplyAccounting {
    private ReplyAccounting() {
    }

    static void record(ReplyVerifier.Verdict verdict, Message reply, ClientThread thread, String description,
                       long readNanos) {
        Counters counters = thread.counters();
        switch (verdict.kind()) {
            case OK:
                thread.recordLatency(verdict.startNanos(), readNanos);
                break;
            case MISMATCHED:
            case UNKNOWN_ID:
                counters.increment(Counter.MISMATCHED);
                thread.sample(description + ": wrong reply: " + verdict.detail());
                break;
            case DUPLICATE:
                counters.increment(Counter.DUPLICATED);
                thread.sample(description + ": duplicate reply: " + verdict.detail());
                break;
            case ERROR_REPLY:
                counters.increment(Counter.ERROR_REPLIES);
                thread.errorReply(verdict.detail());
                thread.sample(description + ": error reply " + reply.id() + " " + verdict.detail() + ": "
                        + reply.errorMessage());
                break;
            case EVENT:
                counters.increment(Counter.EVENTS);
                break;
            default:
                throw new AssertionError(verdict.kind());
        }
    }
}
