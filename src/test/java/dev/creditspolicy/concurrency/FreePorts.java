package dev.creditspolicy.concurrency;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A free TCP port for a process the tests start (a service jar, a Kafka broker), taken below Linux's ephemeral range
 * (32768-60999). A process may need 30 s on a busy machine between the port being chosen and being bound; a port of
 * the ephemeral range can meanwhile become the local end of some outgoing connection (a test's HTTP client, a JDBC
 * connection), and the process then fails to start with "port already in use" (HoldsCrashIT failed so in CI). No
 * outgoing connection takes a port below that range.
 */
final class FreePorts {
    private static final int LOWEST = 20_000;
    private static final int BELOW_EPHEMERAL = 32_768;

    private FreePorts() {
    }

    static int next() throws IOException {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, BELOW_EPHEMERAL);
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                s.setReuseAddress(true);
                return port;
            } catch (IOException taken) {
                // someone listens there: try another
            }
        }
        throw new IOException("no free port in [" + LOWEST + ", " + BELOW_EPHEMERAL + ") after 200 tries");
    }
}
