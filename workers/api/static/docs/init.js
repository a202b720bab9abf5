// Swagger UI on the API's own OpenAPI document; everything is served from this host (no CDN).
window.ui = SwaggerUIBundle({ url: '/v1/openapi.json', dom_id: '#swagger-ui', deepLinking: true });
