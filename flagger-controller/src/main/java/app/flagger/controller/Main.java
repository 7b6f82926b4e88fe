package app.flagger.controller;

import io.helidon.config.Config;
import io.helidon.webserver.WebServer;

/** Composition root of the controller. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    Config config = Config.create();
    WebServer server = WebServer.builder().config(config.get("server")).build().start();
    System.out.println("started on " + server.port());
  }
}
