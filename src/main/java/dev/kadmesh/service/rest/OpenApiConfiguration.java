package dev.kadmesh.service.rest;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Title, description and security scheme of the OpenAPI description at {@code /v3/api-docs}. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

  @Bean
  OpenAPI kadmeshOpenApi() {
    return new OpenAPI()
        .info(new Info()
            .title("Kadmesh node API")
            .version("v1")
            .description("Use a Kadmesh peer-to-peer node: inspect it and its routing table,"
                + " look nodes up, register protocols, send direct messages, broadcast, and"
                + " stream incoming messages (Server-Sent Events). Errors are RFC 7807 problem"
                + " responses. When the node has kadmesh.api.token set, every call needs"
                + " 'Authorization: Bearer <token>'."))
        .components(new Components().addSecuritySchemes("bearer",
            new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")))
        .addSecurityItem(new SecurityRequirement().addList("bearer"));
  }
}
