package fi.polku.testserver;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;

/**
 * Starts an embedded Neo4j Community DBMS with Bolt on 127.0.0.1:PORT.
 *
 * <p>Usage: {@code Launcher DATA_DIR PORT [PASSWORD]}. With a password, authentication is on
 * and user {@code neo4j} gets that password on the data dir's first start (so tests can also
 * check a wrong one); without, authentication is off. Prints {@code READY bolt://127.0.0.1:PORT}
 * once Bolt accepts connections, exits 1 with the reason on stderr if it cannot start, and
 * shuts down cleanly on SIGTERM or when standard input closes, so a test runner that dies
 * never leaves a server behind.
 */
public final class Launcher {
    public static void main(String[] args) {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: Launcher DATA_DIR PORT [PASSWORD]");
            System.exit(2);
        }
        try {
            start(Path.of(args[0]).toAbsolutePath(), Integer.parseInt(args[1]),
                    args.length == 3 ? args[2] : null);
        } catch (Throwable t) {
            // Neo4j's own threads keep the JVM alive after main fails; exit so the caller sees it.
            System.err.println("neo4j launcher failed: " + t);
            t.printStackTrace();
            Runtime.getRuntime().halt(1);
        }
        waitForStdinEnd();
        System.exit(0);
    }

    private static void start(Path home, int port, String password) {
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, password != null)
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                // Small and quick: tests and benchmarks run on a shared 2-core machine.
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(256))
                .setConfig(GraphDatabaseSettings.shutdown_transaction_end_timeout, Duration.ofSeconds(2))
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(1))
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1))
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(dbms::shutdown, "neo4j-shutdown"));

        if (password != null) {
            // The embedded API runs with full rights, so it can set the password that a
            // server install would get from `neo4j-admin dbms set-initial-password`; only on
            // the first start, while the default password still has to be changed.
            GraphDatabaseService system = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
            boolean fresh = system.executeTransactionally(
                    "SHOW USERS YIELD user, passwordChangeRequired WHERE user = 'neo4j' "
                            + "RETURN passwordChangeRequired",
                    Map.of(), r -> r.hasNext() && (Boolean) r.next().get("passwordChangeRequired"));
            if (fresh) {
                system.executeTransactionally(
                        "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
            }
        }
        System.out.println("READY bolt://127.0.0.1:" + port);
        System.out.flush();
    }

    private static void waitForStdinEnd() {
        try {
            while (System.in.read() != -1) {
                // Input is ignored; only its end matters.
            }
        } catch (IOException ignored) {
            // A broken stdin means the parent is gone: shut down as on end of input.
        }
    }
}
