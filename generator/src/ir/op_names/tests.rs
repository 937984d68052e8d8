//! The naming table: how real APIs' paths and operationIds read as method names.

use super::*;

fn names(ops: &[(&str, &str, Option<&str>)]) -> Vec<String> {
    let named: Vec<Named<'_>> = ops
        .iter()
        .map(|(method, path, id)| Named {
            method,
            path,
            operation_id: *id,
        })
        .collect();
    operation_names(&named)
        .iter()
        .map(|n| crate::ir::snake_ident(n, "operation"))
        .collect()
}

/// (method, path, operationId) → method name, each operation named on its own.
const TABLE: &[(&str, &str, Option<&str>, &str)] = &[
    // HubSpot Conversations: path-like ids.
    (
        "get",
        "/conversations/v3/conversations/threads/{threadId}",
        Some("get-/conversations/v3/conversations/threads/{threadId}"),
        "get_thread",
    ),
    (
        "get",
        "/conversations/v3/conversations/threads",
        Some("get-/conversations/v3/conversations/threads"),
        "list_threads",
    ),
    (
        "patch",
        "/conversations/v3/conversations/threads/{threadId}",
        None,
        "update_thread",
    ),
    (
        "delete",
        "/conversations/v3/conversations/threads/{threadId}",
        None,
        "delete_thread",
    ),
    (
        "get",
        "/conversations/v3/conversations/threads/{threadId}/messages",
        None,
        "list_messages",
    ),
    (
        "post",
        "/conversations/v3/conversations/threads/{threadId}/messages",
        None,
        "create_message",
    ),
    (
        "post",
        "/conversations/v3/conversations/actors/batch/read",
        Some("post-/conversations/v3/conversations/actors/batch/read"),
        "batch_read_actors",
    ),
    // HubSpot CRM: batch actions, search, merge, GDPR.
    (
        "post",
        "/crm/v3/objects/contacts/batch/read",
        Some("post-/crm/v3/objects/contacts/batch/read_read"),
        "batch_read_contacts",
    ),
    (
        "post",
        "/crm/v3/objects/contacts/batch/archive",
        Some("post-/crm/v3/objects/contacts/batch/archive_archive"),
        "batch_archive_contacts",
    ),
    (
        "post",
        "/crm/v3/objects/contacts/batch/create",
        Some("post-/crm/v3/objects/contacts/batch/create_create"),
        "batch_create_contacts",
    ),
    (
        "post",
        "/crm/v3/objects/contacts/batch/update",
        None,
        "batch_update_contacts",
    ),
    (
        "post",
        "/crm/v3/objects/contacts/batch/upsert",
        None,
        "batch_upsert_contacts",
    ),
    (
        "post",
        "/crm/v3/objects/contacts/search",
        Some("post-/crm/v3/objects/contacts/search_doSearch"),
        "search_contacts",
    ),
    (
        "post",
        "/crm/v3/objects/contacts/merge",
        None,
        "merge_contacts",
    ),
    (
        "post",
        "/crm/v3/objects/contacts/gdpr-delete",
        None,
        "gdpr_delete_contacts",
    ),
    (
        "get",
        "/crm/v3/objects/contacts",
        Some("get-/crm/v3/objects/contacts_getPage"),
        "list_contacts",
    ),
    (
        "get",
        "/crm/v3/objects/contacts/{contactId}",
        Some("get-/crm/v3/objects/contacts/{contactId}_getById"),
        "get_contact",
    ),
    ("post", "/crm/v3/objects/contacts", None, "create_contact"),
    (
        "patch",
        "/crm/v3/objects/contacts/{contactId}",
        None,
        "update_contact",
    ),
    (
        "delete",
        "/crm/v3/objects/contacts/{contactId}",
        None,
        "delete_contact",
    ),
    // The generic object family: `{objectType}` selects the collection.
    ("get", "/crm/v3/objects/{objectType}", None, "list_objects"),
    (
        "post",
        "/crm/v3/objects/{objectType}",
        None,
        "create_object",
    ),
    (
        "get",
        "/crm/v3/objects/{objectType}/{objectId}",
        None,
        "get_object",
    ),
    (
        "post",
        "/crm/v3/objects/{objectType}/search",
        None,
        "search_objects",
    ),
    (
        "post",
        "/crm/v3/objects/{objectType}/batch/read",
        None,
        "batch_read_objects",
    ),
    (
        "post",
        "/crm/v4/associations/{fromObjectType}/{toObjectType}/batch/archive",
        None,
        "batch_archive_associations",
    ),
    // Dated versions, with and without `-beta`.
    (
        "post",
        "/crm/objects/2026-03/{objectType}/batch/read",
        Some("post-/crm/objects/2026-03/{objectType}/batch/read"),
        "batch_read_objects",
    ),
    (
        "post",
        "/crm/objects/2026-09-beta/postal_mail/batch/read",
        None,
        "batch_read_postal_mail",
    ),
    // Object type ids read with the word before them; a verb and its qualifier.
    (
        "post",
        "/crm/objects/0-420",
        Some("post-/crm/objects/0-420"),
        "create_object_0_420",
    ),
    (
        "get",
        "/crm/objects/0-420/{objectId}",
        Some("get-/crm/objects/0-420/{objectId}"),
        "get_object_0_420",
    ),
    (
        "get",
        "/crm/objects/0-420",
        Some("get-/crm/objects/0-420"),
        "list_objects_0_420",
    ),
    (
        "post",
        "/crm/objects/2026-03/0-420/batch/read",
        Some("post-/crm/objects/2026-03/0-420/batch/read"),
        "batch_read_objects_0_420",
    ),
    (
        "post",
        "/crm/v4/associations/{fromObjectType}/{toObjectType}/batch/associate/default",
        Some("post-/crm/v4/associations/{fromObjectType}/{toObjectType}/batch/associate/default"),
        "batch_associate_default_associations",
    ),
    (
        "get",
        "/automation/actions/2025-09/{appId}",
        None,
        "get_action",
    ),
    (
        "get",
        "/marketing/2026-03-alpha/emails",
        None,
        "list_emails",
    ),
    // HubDB: draft sub-resources, `_camelCase` names the spec gives.
    (
        "post",
        "/cms/v3/hubdb/tables/{tableIdOrName}/draft/publish",
        None,
        "publish_table_draft",
    ),
    (
        "get",
        "/cms/v3/hubdb/tables/{tableIdOrName}/draft",
        None,
        "get_table_draft",
    ),
    (
        "post",
        "/cms/v3/hubdb/tables/{tableIdOrName}/draft/reset",
        None,
        "reset_table_draft",
    ),
    (
        "post",
        "/cms/v3/hubdb/tables/{tableIdOrName}/draft/clone",
        None,
        "clone_table_draft",
    ),
    (
        "get",
        "/cms/v3/hubdb/tables/draft",
        Some("get-/cms/v3/hubdb/tables/draft_getAllDraftTables"),
        "get_all_draft_tables",
    ),
    (
        "get",
        "/cms/v3/hubdb/tables/{tableIdOrName}",
        Some("get-/cms/v3/hubdb/tables/{tableIdOrName}_getTableDetails"),
        "get_table_details",
    ),
    (
        "post",
        "/cms/v3/hubdb/tables/{tableIdOrName}/draft/import",
        None,
        "import_table_draft",
    ),
    (
        "get",
        "/cms/v3/hubdb/tables/{tableIdOrName}/export",
        None,
        "export_table",
    ),
    // Twilio: dated versions and `.json`.
    (
        "get",
        "/2010-04-01/Accounts/{AccountSid}/Messages.json",
        None,
        "list_messages",
    ),
    (
        "post",
        "/2010-04-01/Accounts/{AccountSid}/Messages.json",
        None,
        "create_message",
    ),
    (
        "get",
        "/2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json",
        None,
        "get_message",
    ),
    (
        "post",
        "/2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json",
        None,
        "update_message",
    ),
    (
        "delete",
        "/2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json",
        None,
        "delete_message",
    ),
    // Stripe: POST updates items; actions after an item.
    ("get", "/v1/customers", None, "list_customers"),
    ("post", "/v1/customers", None, "create_customer"),
    ("get", "/v1/customers/{customer}", None, "get_customer"),
    ("post", "/v1/customers/{customer}", None, "update_customer"),
    (
        "delete",
        "/v1/customers/{customer}",
        None,
        "delete_customer",
    ),
    ("get", "/v1/customers/search", None, "search_customers"),
    ("post", "/v1/invoices/{invoice}/pay", None, "pay_invoice"),
    (
        "post",
        "/v1/invoices/{invoice}/finalize",
        None,
        "finalize_invoice",
    ),
    (
        "post",
        "/v1/payment_intents/{intent}/cancel",
        None,
        "cancel_payment_intent",
    ),
    ("post", "/v1/charges/{charge}/refund", None, "refund_charge"),
    (
        "get",
        "/v1/customers",
        Some("GetCustomers"),
        "get_customers",
    ),
    // GitHub: plain and namespaced ids are kept; `merges` is a noun.
    (
        "post",
        "/repos/{owner}/{repo}/merges",
        Some("repos/merge"),
        "repos_merge",
    ),
    ("post", "/repos/{owner}/{repo}/merges", None, "create_merge"),
    ("get", "/repos/{owner}/{repo}", None, "get_repo"),
    ("get", "/user", None, "get_user"),
    ("get", "/users/{username}/repos", None, "list_repos"),
    (
        "get",
        "/app",
        Some("apps/get-authenticated"),
        "apps_get_authenticated",
    ),
    // Box: actions and templated file names.
    ("get", "/files/{file_id}", None, "get_file"),
    ("post", "/files/{file_id}/copy", None, "copy_file"),
    (
        "get",
        "/files/{file_id}/thumbnail.{extension}",
        None,
        "get_file_thumbnail",
    ),
    ("post", "/folders/{folder_id}/copy", None, "copy_folder"),
    // Asana.
    ("get", "/tasks/{task_gid}/subtasks", None, "list_subtasks"),
    (
        "post",
        "/tasks/{task_gid}/duplicate",
        None,
        "duplicate_task",
    ),
    (
        "post",
        "/tasks/{task_gid}/addProject",
        None,
        "add_project_task",
    ),
    // Google-style custom methods.
    (
        "post",
        "/v1/{parent}/documents:batchGet",
        None,
        "batch_get_documents",
    ),
    (
        "post",
        "/v1/projects/{project}/instances/{instance}:restart",
        None,
        "restart_instance",
    ),
    (
        "get",
        "/v1/projects/{project}/locations/{location}/instances",
        None,
        "list_instances",
    ),
    // Versions of every kind, root, singular resources.
    ("get", "/v4/objects", None, "list_objects"),
    ("get", "/api/v1beta1/things/{id}", None, "get_thing"),
    ("get", "/api/v2.1/status", None, "get_status"),
    ("get", "/", None, "get_root"),
    ("put", "/settings", None, "replace_settings"),
    ("put", "/items/{id}", None, "replace_item"),
    ("head", "/items/{id}", None, "head_item"),
    ("get", "/x", Some("getThing"), "get_thing"),
];

#[test]
fn the_naming_table() {
    let mut wrong = Vec::new();
    for (method, path, id, expected) in TABLE {
        let got = names(&[(method, path, *id)]);
        if got[0] != *expected {
            wrong.push(format!("{method} {path} ({id:?}): {} ≠ {expected}", got[0]));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} wrong:\n{}",
        wrong.len(),
        TABLE.len(),
        wrong.join("\n")
    );
    assert!(TABLE.len() >= 60);
}

/// Found by the property test in CI: a multi-byte character where a method name would
/// end made the method-prefix check slice inside a character and panic.
#[test]
fn multi_byte_operation_ids_do_not_panic() {
    let raw = |id| {
        operation_names(&[Named {
            method: "get",
            path: "/a",
            operation_id: Some(id),
        }])
    };
    assert_eq!(raw("日本/x"), ["日本/x"]);
    assert_eq!(raw("géé-/x"), ["géé-/x"]);
    assert_eq!(raw("postéé"), ["postéé"]);
}

#[test]
fn the_audit_finds_versions_counters_and_creations_of_actions() {
    let a = |name, path| {
        let r = audit_name(name, path);
        [r.version_fragment, r.numeric_counter, r.create_for_action]
    };
    assert_eq!(
        a("get_automation_actions_2025_09_app_id", "/x"),
        [true, false, false]
    );
    assert_eq!(a("list_batch_v1_jobs", "/x"), [true, false, false]);
    assert_eq!(a("post_crm_objects_partner_2", "/x"), [false, true, false]);
    assert_eq!(a("create_read", "/actors/batch/read"), [false, false, true]);
    assert_eq!(a("create_filter", "/filters/create"), [false, false, false]);
    assert_eq!(
        a("create_merge", "/repos/{owner}/{repo}/merges"),
        [false, false, false]
    );
    assert_eq!(
        a("get_oauth2_token", "/oauth2/token"),
        [false, false, false]
    );
}

#[test]
fn clashing_names_grow_until_they_differ() {
    assert_eq!(
        names(&[
            ("get", "/companies/{id}/contacts", None),
            ("get", "/deals/{id}/contacts", None),
            ("get", "/users", None),
        ]),
        ["list_company_contacts", "list_deal_contacts", "list_users"]
    );
    // Same action on typed objects in two areas.
    assert_eq!(
        names(&[
            ("post", "/crm/v3/objects/contacts/batch/read", None),
            ("post", "/crm/v3/lists/contacts/batch/read", None),
        ]),
        ["batch_read_object_contacts", "batch_read_list_contacts"]
    );
    // An id and a path-derived name that would be one identifier.
    assert_eq!(
        names(&[
            ("get", "/items/{id}", Some("getItem")),
            ("get", "/legacy/items/{id}", None),
        ]),
        ["get_item", "get_legacy_item"]
    );
    // Only the version tells two operations apart: then, and only then, it is used.
    assert_eq!(
        names(&[("get", "/v1/items", None), ("get", "/v2/items", None),]),
        ["list_items_v1", "list_items_v2"]
    );
}
