package dev.kadmesh.service;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Entry point of the Kadmesh node service. */
@SpringBootApplication
public class KadmeshApplication {

  public static void main(String[] args) {
    SpringApplication.run(KadmeshApplication.class, args);
  }
}
