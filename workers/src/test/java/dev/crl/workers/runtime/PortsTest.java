package dev.crl.workers.runtime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class PortsTest {
  @Test
  void freePortsComeFromBelowTheEphemeralRangeAndCanBeBound() throws Exception {
    int low = Ports.ephemeralLow();
    for (int i = 0; i < 20; i++) {
      int port = Ports.freePort();
      assertTrue(port >= 1024 && port < low, "port " + port + " is not below the ephemeral range starting at " + low);
      assertFalse(Ports.isOpen(port), "nothing listens on a free port");
      try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        assertTrue(Ports.isOpen(port), "a server bound to the port accepts connections");
      }
    }
  }
}
