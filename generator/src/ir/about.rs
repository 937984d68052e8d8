//! What a description says besides its operations and types that the client needs: the
//! OAuth2 endpoints tokens come from, and the union of the webhooks it sends.

/// Where an OAuth2 client gets tokens: the first flow of the scheme that names each URL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OAuth2Endpoints {
    pub token_url: Option<String>,
    pub authorization_url: Option<String>,
}

/// The component the loader made of every webhook payload (marked with
/// [`crate::load::WEBHOOK_EVENT`]).
pub(super) fn webhook_event_component(api: &openapiv3::OpenAPI) -> Option<String> {
    let schemas = &api.components.as_ref()?.schemas;
    schemas.iter().find_map(|(key, schema)| match schema {
        openapiv3::ReferenceOr::Item(schema)
            if schema
                .schema_data
                .extensions
                .contains_key(crate::load::WEBHOOK_EVENT) =>
        {
            Some(key.clone())
        }
        _ => None,
    })
}

/// The token and authorization URLs of the first `oauth2` security scheme: an absolute
/// http(s) URL only (a relative one would be resolved against a server the client may not
/// use).
pub(super) fn oauth2_endpoints(api: &openapiv3::OpenAPI) -> Option<OAuth2Endpoints> {
    let schemes = &api.components.as_ref()?.security_schemes;
    let flows = schemes.values().find_map(|scheme| match scheme {
        openapiv3::ReferenceOr::Item(openapiv3::SecurityScheme::OAuth2 { flows, .. }) => {
            Some(flows)
        }
        _ => None,
    })?;
    let absolute = |url: &str| {
        let url = url.trim();
        (url.starts_with("https://") || url.starts_with("http://")).then(|| url.to_owned())
    };
    let code = flows.authorization_code.as_ref();
    let token_url = code
        .map(|f| f.token_url.as_str())
        .or(flows
            .client_credentials
            .as_ref()
            .map(|f| f.token_url.as_str()))
        .or(flows.password.as_ref().map(|f| f.token_url.as_str()))
        .and_then(absolute);
    let authorization_url = code
        .map(|f| f.authorization_url.as_str())
        .or(flows
            .implicit
            .as_ref()
            .map(|f| f.authorization_url.as_str()))
        .and_then(absolute);
    Some(OAuth2Endpoints {
        token_url,
        authorization_url,
    })
}
