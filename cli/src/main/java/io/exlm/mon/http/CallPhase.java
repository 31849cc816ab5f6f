package io.exlm.mon.http;

import java.net.InetSocketAddress;
import java.net.Proxy;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.Handshake;
import okhttp3.Protocol;
import okhttp3.Response;

/**
 * Where a call was when it failed: connecting, in the TLS handshake, waiting for the answer, or reading the body.
 * A timeout means something different in each, and so does the advice.
 */
final class CallPhase {
    enum Phase {
        START, CONNECTING, TLS_HANDSHAKE, WAITING, BODY
    }

    private volatile Phase phase = Phase.START;

    Phase get() {
        return phase;
    }

    /** Records each call's phase on the {@link CallPhase} tagged to its request. */
    static final class Listener extends EventListener {
        private static void set(Call call, Phase p) {
            CallPhase cp = call.request().tag(CallPhase.class);
            if (cp != null) {
                cp.phase = p;
            }
        }

        @Override
        public void connectStart(Call call, InetSocketAddress address, Proxy proxy) {
            set(call, Phase.CONNECTING);
        }

        @Override
        public void secureConnectStart(Call call) {
            set(call, Phase.TLS_HANDSHAKE);
        }

        @Override
        public void secureConnectEnd(Call call, Handshake handshake) {
            set(call, Phase.WAITING);
        }

        @Override
        public void connectEnd(Call call, InetSocketAddress address, Proxy proxy, Protocol protocol) {
            set(call, Phase.WAITING);
        }

        @Override
        public void requestHeadersStart(Call call) {
            set(call, Phase.WAITING);
        }

        @Override
        public void responseHeadersEnd(Call call, Response response) {
            set(call, Phase.BODY);
        }
    }
}
