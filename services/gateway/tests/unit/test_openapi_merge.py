from gateway.openapi.aggregate import merge_documents

OWN = {
    "openapi": "3.1.0",
    "info": {"title": "gateway", "version": "1"},
    "paths": {"/api/things": {"get": {"operationId": "thing-list", "tags": ["thing"]}}},
    "components": {"schemas": {"Problem": {"type": "object"}}},
}
SERVICE = {
    "openapi": "3.1.0",
    "paths": {
        "/things": {
            "parameters": [{"$ref": "#/components/parameters/Limit"}],
            "get": {
                "operationId": "thing-list",
                "tags": ["thing"],
                "security": [{"HTTPBearer": []}],
                "responses": {
                    "200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}}
                },
            },
        }
    },
    "components": {
        "schemas": {
            "Problem": {"type": "object", "title": "service problem"},
            "Pet": {
                "oneOf": [{"$ref": "#/components/schemas/Cat"}],
                "discriminator": {"propertyName": "kind", "mapping": {"cat": "#/components/schemas/Cat"}},
            },
            "Cat": {"type": "object"},
        },
        "parameters": {"Limit": {"name": "limit", "in": "query"}},
        "securitySchemes": {"HTTPBearer": {"type": "http", "scheme": "bearer"}},
    },
    "tags": [{"name": "thing", "description": "Вещи"}],
}


def test_components_refs_security_and_ids_are_renamed():
    merged = merge_documents(OWN, {"verification": SERVICE})
    schemas = merged["components"]["schemas"]
    assert schemas["Problem"] == {"type": "object"}  # the gateway's own is untouched
    assert schemas["VerificationProblem"]["title"] == "service problem"
    assert schemas["VerificationPet"]["oneOf"] == [{"$ref": "#/components/schemas/VerificationCat"}]
    assert schemas["VerificationPet"]["discriminator"]["mapping"] == {
        "cat": "#/components/schemas/VerificationCat"
    }
    item = merged["paths"]["/api/verification/things"]
    assert item["parameters"] == [{"$ref": "#/components/parameters/VerificationLimit"}]
    op = item["get"]
    assert op["operationId"] == "verification-thing-list"
    assert op["security"] == [{"VerificationHTTPBearer": []}]
    assert "VerificationHTTPBearer" in merged["components"]["securitySchemes"]
    assert op["tags"] == ["verification/thing"]
    assert {"name": "verification/thing", "description": "Вещи"} in merged["tags"]
    assert OWN["components"]["schemas"] == {"Problem": {"type": "object"}}  # input not modified


def test_remaining_operation_id_clashes_get_a_suffix():
    own = {"paths": {"/api/x": {"get": {"operationId": "registry-thing-list"}}}}
    merged = merge_documents(own, {"registry": SERVICE})
    assert merged["paths"]["/api/registry/things"]["get"]["operationId"] == "registry-thing-list-2"
