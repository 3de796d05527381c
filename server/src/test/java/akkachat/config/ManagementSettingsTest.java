package akkachat.config;

import akka.actor.ActorSystem;
import akka.discovery.Discovery;
import akka.discovery.ServiceDiscovery;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static akkachat.config.Settings.with;
import static akkachat.config.Settings.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** akka-chat.management and akka-chat.cluster.bootstrap: the checks, and what Akka gets. */
class ManagementSettingsTest {
  /** Bootstrap with config discovery as BootstrapIT starts it, each test changing one thing. */
  private static final String BOOTSTRAP = "management.port = 8558, cluster.seeds = \"\", "
      + "cluster.bootstrap { enabled = on, discovery = config, "
      + "contact-points = \"10.0.0.1:8558, 10.0.0.2:8558,10.0.0.3:8559\", "
      + "required-contact-points = 3 }";

  @Test
  void managementIsOnAtPort8558OfLocalhostAndBootstrapOffByDefault() {
    assumeTrue(System.getenv().keySet().stream().noneMatch(k -> k.startsWith("MANAGEMENT_")
        || k.startsWith("CLUSTER_") || k.equals("REQUIRED_CONTACT_POINT_NR")), "set in the environment");
    ManagementSettings m = ChatSettings.fromConfig(ConfigFactory.load()).management();
    assertTrue(m.enabled());
    assertEquals("127.0.0.1", m.host());
    assertEquals(8558, m.port());
    assertFalse(m.bootstrap());
    assertEquals("config", m.discovery());
    assertEquals(List.of(), m.contactPoints());
  }

  @Test
  void bootstrapWithConfigDiscoveryIsRead() {
    ManagementSettings m = with(BOOTSTRAP + ", cluster.bootstrap.discovery = CONFIG").management();
    assertTrue(m.bootstrap());
    assertEquals("config", m.discovery());
    assertEquals(List.of("10.0.0.1:8558", "10.0.0.2:8558", "10.0.0.3:8559"), m.contactPoints());
  }

  @Test
  void bootstrapThroughKubernetesNeedsNoContactPoints() {
    ManagementSettings m = with(BOOTSTRAP + ", cluster.bootstrap { discovery = kubernetes-api, "
        + "contact-points = \"\" }").management();
    assertEquals("kubernetes-api", m.discovery());
    assertEquals(List.of(), m.contactPoints());
  }

  @Test
  void bootstrapNeedsTheManagementPort() {
    refused(BOOTSTRAP + ", management.enabled = off", "management.enabled");
  }

  @Test
  void bootstrapNeedsAFixedManagementPort() {
    refused(BOOTSTRAP + ", management.port = 0", "management.port");
  }

  @Test
  void bootstrapRefusesSeeds() {
    refused(BOOTSTRAP + ", cluster.seeds = \"10.0.0.1:25520\"", "cluster.seeds");
  }

  @Test
  void bootstrapRefusesAnUnknownDiscovery() {
    String message = refused(BOOTSTRAP + ", cluster.bootstrap.discovery = dns",
        "cluster.bootstrap.discovery");
    assertTrue(message.contains("'dns'"), message);
  }

  @Test
  void bootstrapWithConfigDiscoveryNeedsContactPoints() {
    refused(BOOTSTRAP + ", cluster.bootstrap.contact-points = \" \"",
        "cluster.bootstrap.contact-points");
  }

  @Test
  void contactPointsMustBeHostAndPort() {
    refused(BOOTSTRAP + ", cluster.bootstrap.contact-points = \"10.0.0.1\"",
        "cluster.bootstrap.contact-points");
  }

  @Test
  void bootstrapNeedsAtLeastOneRequiredContactPoint() {
    refused(BOOTSTRAP + ", cluster.bootstrap.required-contact-points = 0",
        "cluster.bootstrap.required-contact-points");
  }

  @Test
  void withBootstrapOffNoneOfItIsChecked() {
    ManagementSettings m = with("management { enabled = off, port = 0 }, "
        + "cluster { seeds = \"10.0.0.1:25520\", bootstrap { enabled = off, discovery = dns } }")
        .management();
    assertFalse(m.enabled());
    assertFalse(m.bootstrap());
  }

  @Test
  void contactPointsBecomeTheEndpointsOfAkkasConfigDiscovery() {
    Config config = ChatConfig.load(ConfigFactory.parseString("akka-chat { " + BOOTSTRAP + " }"));
    List<Map<String, Object>> endpoints = config.getConfigList(
            "akka.discovery.config.services.akka-chat.endpoints").stream()
        .map(c -> c.root().unwrapped()).toList();
    assertEquals(List.of(Map.of("host", "10.0.0.1", "port", 8558),
        Map.of("host", "10.0.0.2", "port", 8558), Map.of("host", "10.0.0.3", "port", 8559)),
        endpoints);
    String bootstrap = "akka.management.cluster.bootstrap.";
    assertEquals("akka-chat", config.getString(bootstrap + "contact-point-discovery.service-name"));
    assertEquals("config", config.getString(bootstrap + "contact-point-discovery.discovery-method"));
    assertEquals(3, config.getInt(bootstrap + "contact-point-discovery.required-contact-point-nr"));
    assertFalse(config.getBoolean(bootstrap + "contact-point.filter-on-fallback-port"));
    assertEquals(8558, config.getInt("akka.management.http.port"));
  }

  @Test
  void akkasConfigDiscoveryFindsTheContactPointsUnderTheServiceName() throws Exception {
    Config config = ChatConfig.load(ConfigFactory.parseString("akka.actor.provider = local, "
        + "akka-chat { " + BOOTSTRAP + ", cluster.bootstrap.service-name = \"chat.prod\" }"));
    ActorSystem system = ActorSystem.create("akka-chat", config);
    try {
      ServiceDiscovery discovery = Discovery.get(system).loadServiceDiscovery(
          config.getString("akka.management.cluster.bootstrap.contact-point-discovery.discovery-method"));
      ServiceDiscovery.Resolved resolved = discovery.lookup("chat.prod", Duration.ofSeconds(3))
          .toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertEquals("10.0.0.1:8558,10.0.0.2:8558,10.0.0.3:8559", resolved.getAddresses().stream()
          .map(t -> t.host() + ":" + t.getPort().orElse(0)).collect(Collectors.joining(",")));
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
