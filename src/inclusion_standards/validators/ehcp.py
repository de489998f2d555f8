"""nis's EHCP schema (schemas/ehcp.schema.json) compiled to Python by fastjsonschema.

Written by `make validators` (documents.validator_source): do not edit.
"""
# ruff: noqa
SCHEMA_SHA256 = "77db802ed433c8a025bf78b2d60c99b705d4ee3b159f47e72e10e6ebf2070c90"


class Invalid(ValueError):
    """The plan departs from the schema (jsonschema's walk of it says where)."""


# The names fastjsonschema's code catches (in anyOf, oneOf, not): its raises are `Invalid` here.
JsonSchemaValueException = JsonSchemaValuesException = Invalid


VERSION = "2.22.3"
from decimal import Decimal
import re


REGEX_PATTERNS = {
    '^[a-z][a-z0-9_]*$': re.compile('^[a-z][a-z0-9_]*\\Z'),
    '^[1-9][0-9]?:[1-9][0-9]?$': re.compile('^[1-9][0-9]?:[1-9][0-9]?\\Z'),
    '^[0-9]+\\([0-9]+\\)(\\([a-z]\\))?$': re.compile('^[0-9]+\\([0-9]+\\)(\\([a-z]\\))?\\Z'),
    '^[0-9]{6}$': re.compile('^[0-9]{6}\\Z')
}

NoneType = type(None)

def validate_https___nis_invalid_schemas_ehcp_schema_json(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise Invalid
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['id', 'child', 'status', 'sections', 'process']) - data.keys()
        if data__missing_keys:
            raise Invalid
        data_keys = set(data.keys())
        if "document_type" in data_keys:
            data_keys.remove("document_type")
            data__documenttype = data["document_type"]
            if not (isinstance(data__documenttype, str) and data__documenttype == 'ehcp'):
                raise Invalid
        if "id" in data_keys:
            data_keys.remove("id")
            data__id = data["id"]
            if not isinstance(data__id, (str)):
                raise Invalid
            if isinstance(data__id, str):
                data__id_len = len(data__id)
                if data__id_len < 1:
                    raise Invalid
        if "child" in data_keys:
            data_keys.remove("child")
            data__child = data["child"]
            validate_https___nis_invalid_schemas_ehcp_schema_json___defs_child(data__child, custom_formats, (name_prefix or "data") + ".child")
        if "local_authority" in data_keys:
            data_keys.remove("local_authority")
            data__localauthority = data["local_authority"]
            if not isinstance(data__localauthority, (str)):
                raise Invalid
            if isinstance(data__localauthority, str):
                data__localauthority_len = len(data__localauthority)
                if data__localauthority_len < 1:
                    raise Invalid
        if "status" in data_keys:
            data_keys.remove("status")
            data__status = data["status"]
            if not isinstance(data__status, (str)):
                raise Invalid
            if not (isinstance(data__status, str) and data__status == 'draft' or isinstance(data__status, str) and data__status == 'final' or isinstance(data__status, str) and data__status == 'amended_final' or isinstance(data__status, str) and data__status == 'ceased'):
                raise Invalid
        if "setting" in data_keys:
            data_keys.remove("setting")
            data__setting = data["setting"]
            validate_https___nis_invalid_schemas_ehcp_schema_json___defs_setting(data__setting, custom_formats, (name_prefix or "data") + ".setting")
        if "phase" in data_keys:
            data_keys.remove("phase")
            data__phase = data["phase"]
            validate_https___nis_invalid_schemas_ehcp_schema_json___defs_phase(data__phase, custom_formats, (name_prefix or "data") + ".phase")
        if "next_phase_transfer" in data_keys:
            data_keys.remove("next_phase_transfer")
            data__nextphasetransfer = data["next_phase_transfer"]
            if not isinstance(data__nextphasetransfer, (dict)):
                raise Invalid
            data__nextphasetransfer_is_dict = isinstance(data__nextphasetransfer, dict)
            if data__nextphasetransfer_is_dict:
                data__nextphasetransfer__missing_keys = set(['date', 'to_phase', 'transfer_kind']) - data__nextphasetransfer.keys()
                if data__nextphasetransfer__missing_keys:
                    raise Invalid
                data__nextphasetransfer_keys = set(data__nextphasetransfer.keys())
                if "date" in data__nextphasetransfer_keys:
                    data__nextphasetransfer_keys.remove("date")
                    data__nextphasetransfer__date = data__nextphasetransfer["date"]
                    validate_https___nis_invalid_schemas_ehcp_schema_json___defs_date(data__nextphasetransfer__date, custom_formats, (name_prefix or "data") + ".next_phase_transfer.date")
                if "to_phase" in data__nextphasetransfer_keys:
                    data__nextphasetransfer_keys.remove("to_phase")
                    data__nextphasetransfer__tophase = data__nextphasetransfer["to_phase"]
                    validate_https___nis_invalid_schemas_ehcp_schema_json___defs_phase(data__nextphasetransfer__tophase, custom_formats, (name_prefix or "data") + ".next_phase_transfer.to_phase")
                if "transfer_kind" in data__nextphasetransfer_keys:
                    data__nextphasetransfer_keys.remove("transfer_kind")
                    data__nextphasetransfer__transferkind = data__nextphasetransfer["transfer_kind"]
                    if not isinstance(data__nextphasetransfer__transferkind, (str)):
                        raise Invalid
                    if not (isinstance(data__nextphasetransfer__transferkind, str) and data__nextphasetransfer__transferkind == 'school_transfer' or isinstance(data__nextphasetransfer__transferkind, str) and data__nextphasetransfer__transferkind == 'into_post16' or isinstance(data__nextphasetransfer__transferkind, str) and data__nextphasetransfer__transferkind == 'post16_to_post16'):
                        raise Invalid
                if data__nextphasetransfer_keys:
                    raise Invalid
        if "sections" in data_keys:
            data_keys.remove("sections")
            data__sections = data["sections"]
            if not isinstance(data__sections, (dict)):
                raise Invalid
            data__sections_is_dict = isinstance(data__sections, dict)
            if data__sections_is_dict:
                data__sections_keys = set(data__sections.keys())
                if "a" in data__sections_keys:
                    data__sections_keys.remove("a")
                    data__sections__a = data__sections["a"]
                    if not isinstance(data__sections__a, (dict)):
                        raise Invalid
                    data__sections__a_is_dict = isinstance(data__sections__a, dict)
                    if data__sections__a_is_dict:
                        data__sections__a_keys = set(data__sections__a.keys())
                        if "views" in data__sections__a_keys:
                            data__sections__a_keys.remove("views")
                            data__sections__a__views = data__sections__a["views"]
                            if not isinstance(data__sections__a__views, (str)):
                                raise Invalid
                        if "interests" in data__sections__a_keys:
                            data__sections__a_keys.remove("interests")
                            data__sections__a__interests = data__sections__a["interests"]
                            if not isinstance(data__sections__a__interests, (str)):
                                raise Invalid
                        if "aspirations" in data__sections__a_keys:
                            data__sections__a_keys.remove("aspirations")
                            data__sections__a__aspirations = data__sections__a["aspirations"]
                            if not isinstance(data__sections__a__aspirations, (str)):
                                raise Invalid
                        if data__sections__a_keys:
                            raise Invalid
                if "b" in data__sections_keys:
                    data__sections_keys.remove("b")
                    data__sections__b = data__sections["b"]
                    if not isinstance(data__sections__b, (dict)):
                        raise Invalid
                    data__sections__b_is_dict = isinstance(data__sections__b, dict)
                    if data__sections__b_is_dict:
                        data__sections__b_keys = set(data__sections__b.keys())
                        if "needs" in data__sections__b_keys:
                            data__sections__b_keys.remove("needs")
                            data__sections__b__needs = data__sections__b["needs"]
                            if not isinstance(data__sections__b__needs, (list, tuple)):
                                raise Invalid
                            data__sections__b__needs_is_list = isinstance(data__sections__b__needs, (list, tuple))
                            if data__sections__b__needs_is_list:
                                data__sections__b__needs_len = len(data__sections__b__needs)
                                for data__sections__b__needs_x, data__sections__b__needs_item in enumerate(data__sections__b__needs):
                                    if not isinstance(data__sections__b__needs_item, (dict)):
                                        raise Invalid
                                    data__sections__b__needs_item_is_dict = isinstance(data__sections__b__needs_item, dict)
                                    if data__sections__b__needs_item_is_dict:
                                        data__sections__b__needs_item__missing_keys = set(['id', 'area', 'description']) - data__sections__b__needs_item.keys()
                                        if data__sections__b__needs_item__missing_keys:
                                            raise Invalid
                                        data__sections__b__needs_item_keys = set(data__sections__b__needs_item.keys())
                                        if "id" in data__sections__b__needs_item_keys:
                                            data__sections__b__needs_item_keys.remove("id")
                                            data__sections__b__needs_item__id = data__sections__b__needs_item["id"]
                                            if not isinstance(data__sections__b__needs_item__id, (str)):
                                                raise Invalid
                                            if isinstance(data__sections__b__needs_item__id, str):
                                                data__sections__b__needs_item__id_len = len(data__sections__b__needs_item__id)
                                                if data__sections__b__needs_item__id_len < 1:
                                                    raise Invalid
                                        if "area" in data__sections__b__needs_item_keys:
                                            data__sections__b__needs_item_keys.remove("area")
                                            data__sections__b__needs_item__area = data__sections__b__needs_item["area"]
                                            validate_https___nis_invalid_schemas_ehcp_schema_json___defs_area(data__sections__b__needs_item__area, custom_formats, (name_prefix or "data") + ".sections.b.needs[{data__sections__b__needs_x}].area")
                                        if "description" in data__sections__b__needs_item_keys:
                                            data__sections__b__needs_item_keys.remove("description")
                                            data__sections__b__needs_item__description = data__sections__b__needs_item["description"]
                                            if not isinstance(data__sections__b__needs_item__description, (str)):
                                                raise Invalid
                                            if isinstance(data__sections__b__needs_item__description, str):
                                                data__sections__b__needs_item__description_len = len(data__sections__b__needs_item__description)
                                                if data__sections__b__needs_item__description_len < 1:
                                                    raise Invalid
                                        if data__sections__b__needs_item_keys:
                                            raise Invalid
                        if data__sections__b_keys:
                            raise Invalid
                if "c" in data__sections_keys:
                    data__sections_keys.remove("c")
                    data__sections__c = data__sections["c"]
                    if not isinstance(data__sections__c, (dict)):
                        raise Invalid
                    data__sections__c_is_dict = isinstance(data__sections__c, dict)
                    if data__sections__c_is_dict:
                        data__sections__c_keys = set(data__sections__c.keys())
                        if "health_needs" in data__sections__c_keys:
                            data__sections__c_keys.remove("health_needs")
                            data__sections__c__healthneeds = data__sections__c["health_needs"]
                            if not isinstance(data__sections__c__healthneeds, (list, tuple)):
                                raise Invalid
                            data__sections__c__healthneeds_is_list = isinstance(data__sections__c__healthneeds, (list, tuple))
                            if data__sections__c__healthneeds_is_list:
                                data__sections__c__healthneeds_len = len(data__sections__c__healthneeds)
                                for data__sections__c__healthneeds_x, data__sections__c__healthneeds_item in enumerate(data__sections__c__healthneeds):
                                    if not isinstance(data__sections__c__healthneeds_item, (dict)):
                                        raise Invalid
                                    data__sections__c__healthneeds_item_is_dict = isinstance(data__sections__c__healthneeds_item, dict)
                                    if data__sections__c__healthneeds_item_is_dict:
                                        data__sections__c__healthneeds_item__missing_keys = set(['id', 'description']) - data__sections__c__healthneeds_item.keys()
                                        if data__sections__c__healthneeds_item__missing_keys:
                                            raise Invalid
                                        data__sections__c__healthneeds_item_keys = set(data__sections__c__healthneeds_item.keys())
                                        if "id" in data__sections__c__healthneeds_item_keys:
                                            data__sections__c__healthneeds_item_keys.remove("id")
                                            data__sections__c__healthneeds_item__id = data__sections__c__healthneeds_item["id"]
                                            if not isinstance(data__sections__c__healthneeds_item__id, (str)):
                                                raise Invalid
                                            if isinstance(data__sections__c__healthneeds_item__id, str):
                                                data__sections__c__healthneeds_item__id_len = len(data__sections__c__healthneeds_item__id)
                                                if data__sections__c__healthneeds_item__id_len < 1:
                                                    raise Invalid
                                        if "description" in data__sections__c__healthneeds_item_keys:
                                            data__sections__c__healthneeds_item_keys.remove("description")
                                            data__sections__c__healthneeds_item__description = data__sections__c__healthneeds_item["description"]
                                            if not isinstance(data__sections__c__healthneeds_item__description, (str)):
                                                raise Invalid
                                            if isinstance(data__sections__c__healthneeds_item__description, str):
                                                data__sections__c__healthneeds_item__description_len = len(data__sections__c__healthneeds_item__description)
                                                if data__sections__c__healthneeds_item__description_len < 1:
                                                    raise Invalid
                                        if data__sections__c__healthneeds_item_keys:
                                            raise Invalid
                        if data__sections__c_keys:
                            raise Invalid
                if "d" in data__sections_keys:
                    data__sections_keys.remove("d")
                    data__sections__d = data__sections["d"]
                    if not isinstance(data__sections__d, (dict)):
                        raise Invalid
                    data__sections__d_is_dict = isinstance(data__sections__d, dict)
                    if data__sections__d_is_dict:
                        data__sections__d_keys = set(data__sections__d.keys())
                        if "social_care_needs" in data__sections__d_keys:
                            data__sections__d_keys.remove("social_care_needs")
                            data__sections__d__socialcareneeds = data__sections__d["social_care_needs"]
                            if not isinstance(data__sections__d__socialcareneeds, (list, tuple)):
                                raise Invalid
                            data__sections__d__socialcareneeds_is_list = isinstance(data__sections__d__socialcareneeds, (list, tuple))
                            if data__sections__d__socialcareneeds_is_list:
                                data__sections__d__socialcareneeds_len = len(data__sections__d__socialcareneeds)
                                for data__sections__d__socialcareneeds_x, data__sections__d__socialcareneeds_item in enumerate(data__sections__d__socialcareneeds):
                                    if not isinstance(data__sections__d__socialcareneeds_item, (dict)):
                                        raise Invalid
                                    data__sections__d__socialcareneeds_item_is_dict = isinstance(data__sections__d__socialcareneeds_item, dict)
                                    if data__sections__d__socialcareneeds_item_is_dict:
                                        data__sections__d__socialcareneeds_item__missing_keys = set(['id', 'description']) - data__sections__d__socialcareneeds_item.keys()
                                        if data__sections__d__socialcareneeds_item__missing_keys:
                                            raise Invalid
                                        data__sections__d__socialcareneeds_item_keys = set(data__sections__d__socialcareneeds_item.keys())
                                        if "id" in data__sections__d__socialcareneeds_item_keys:
                                            data__sections__d__socialcareneeds_item_keys.remove("id")
                                            data__sections__d__socialcareneeds_item__id = data__sections__d__socialcareneeds_item["id"]
                                            if not isinstance(data__sections__d__socialcareneeds_item__id, (str)):
                                                raise Invalid
                                            if isinstance(data__sections__d__socialcareneeds_item__id, str):
                                                data__sections__d__socialcareneeds_item__id_len = len(data__sections__d__socialcareneeds_item__id)
                                                if data__sections__d__socialcareneeds_item__id_len < 1:
                                                    raise Invalid
                                        if "description" in data__sections__d__socialcareneeds_item_keys:
                                            data__sections__d__socialcareneeds_item_keys.remove("description")
                                            data__sections__d__socialcareneeds_item__description = data__sections__d__socialcareneeds_item["description"]
                                            if not isinstance(data__sections__d__socialcareneeds_item__description, (str)):
                                                raise Invalid
                                            if isinstance(data__sections__d__socialcareneeds_item__description, str):
                                                data__sections__d__socialcareneeds_item__description_len = len(data__sections__d__socialcareneeds_item__description)
                                                if data__sections__d__socialcareneeds_item__description_len < 1:
                                                    raise Invalid
                                        if data__sections__d__socialcareneeds_item_keys:
                                            raise Invalid
                        if data__sections__d_keys:
                            raise Invalid
                if "e" in data__sections_keys:
                    data__sections_keys.remove("e")
                    data__sections__e = data__sections["e"]
                    if not isinstance(data__sections__e, (dict)):
                        raise Invalid
                    data__sections__e_is_dict = isinstance(data__sections__e, dict)
                    if data__sections__e_is_dict:
                        data__sections__e_keys = set(data__sections__e.keys())
                        if "outcomes" in data__sections__e_keys:
                            data__sections__e_keys.remove("outcomes")
                            data__sections__e__outcomes = data__sections__e["outcomes"]
                            if not isinstance(data__sections__e__outcomes, (list, tuple)):
                                raise Invalid
                            data__sections__e__outcomes_is_list = isinstance(data__sections__e__outcomes, (list, tuple))
                            if data__sections__e__outcomes_is_list:
                                data__sections__e__outcomes_len = len(data__sections__e__outcomes)
                                for data__sections__e__outcomes_x, data__sections__e__outcomes_item in enumerate(data__sections__e__outcomes):
                                    if not isinstance(data__sections__e__outcomes_item, (dict)):
                                        raise Invalid
                                    data__sections__e__outcomes_item_is_dict = isinstance(data__sections__e__outcomes_item, dict)
                                    if data__sections__e__outcomes_item_is_dict:
                                        data__sections__e__outcomes_item__missing_keys = set(['id', 'description']) - data__sections__e__outcomes_item.keys()
                                        if data__sections__e__outcomes_item__missing_keys:
                                            raise Invalid
                                        data__sections__e__outcomes_item_keys = set(data__sections__e__outcomes_item.keys())
                                        if "id" in data__sections__e__outcomes_item_keys:
                                            data__sections__e__outcomes_item_keys.remove("id")
                                            data__sections__e__outcomes_item__id = data__sections__e__outcomes_item["id"]
                                            if not isinstance(data__sections__e__outcomes_item__id, (str)):
                                                raise Invalid
                                            if isinstance(data__sections__e__outcomes_item__id, str):
                                                data__sections__e__outcomes_item__id_len = len(data__sections__e__outcomes_item__id)
                                                if data__sections__e__outcomes_item__id_len < 1:
                                                    raise Invalid
                                        if "description" in data__sections__e__outcomes_item_keys:
                                            data__sections__e__outcomes_item_keys.remove("description")
                                            data__sections__e__outcomes_item__description = data__sections__e__outcomes_item["description"]
                                            if not isinstance(data__sections__e__outcomes_item__description, (str)):
                                                raise Invalid
                                            if isinstance(data__sections__e__outcomes_item__description, str):
                                                data__sections__e__outcomes_item__description_len = len(data__sections__e__outcomes_item__description)
                                                if data__sections__e__outcomes_item__description_len < 1:
                                                    raise Invalid
                                        if "need_ids" in data__sections__e__outcomes_item_keys:
                                            data__sections__e__outcomes_item_keys.remove("need_ids")
                                            data__sections__e__outcomes_item__needids = data__sections__e__outcomes_item["need_ids"]
                                            if not isinstance(data__sections__e__outcomes_item__needids, (list, tuple)):
                                                raise Invalid
                                            data__sections__e__outcomes_item__needids_is_list = isinstance(data__sections__e__outcomes_item__needids, (list, tuple))
                                            if data__sections__e__outcomes_item__needids_is_list:
                                                def fn(var): return frozenset(dict((k, fn(v)) for k, v in var.items()).items()) if hasattr(var, "items") else tuple(fn(v) for v in var) if isinstance(var, (dict, list)) else (bool, var) if isinstance(var, bool) else var
                                                data__sections__e__outcomes_item__needids_len = len(data__sections__e__outcomes_item__needids)
                                                if data__sections__e__outcomes_item__needids_len > len(set(fn(data__sections__e__outcomes_item__needids_x) for data__sections__e__outcomes_item__needids_x in data__sections__e__outcomes_item__needids)):
                                                    raise Invalid
                                                for data__sections__e__outcomes_item__needids_x, data__sections__e__outcomes_item__needids_item in enumerate(data__sections__e__outcomes_item__needids):
                                                    if not isinstance(data__sections__e__outcomes_item__needids_item, (str)):
                                                        raise Invalid
                                                    if isinstance(data__sections__e__outcomes_item__needids_item, str):
                                                        data__sections__e__outcomes_item__needids_item_len = len(data__sections__e__outcomes_item__needids_item)
                                                        if data__sections__e__outcomes_item__needids_item_len < 1:
                                                            raise Invalid
                                        if "target_date" in data__sections__e__outcomes_item_keys:
                                            data__sections__e__outcomes_item_keys.remove("target_date")
                                            data__sections__e__outcomes_item__targetdate = data__sections__e__outcomes_item["target_date"]
                                            validate_https___nis_invalid_schemas_ehcp_schema_json___defs_date(data__sections__e__outcomes_item__targetdate, custom_formats, (name_prefix or "data") + ".sections.e.outcomes[{data__sections__e__outcomes_x}].target_date")
                                        if "measurable" in data__sections__e__outcomes_item_keys:
                                            data__sections__e__outcomes_item_keys.remove("measurable")
                                            data__sections__e__outcomes_item__measurable = data__sections__e__outcomes_item["measurable"]
                                            if not isinstance(data__sections__e__outcomes_item__measurable, (bool)):
                                                raise Invalid
                                        if "preparing_for_adulthood" in data__sections__e__outcomes_item_keys:
                                            data__sections__e__outcomes_item_keys.remove("preparing_for_adulthood")
                                            data__sections__e__outcomes_item__preparingforadulthood = data__sections__e__outcomes_item["preparing_for_adulthood"]
                                            if not isinstance(data__sections__e__outcomes_item__preparingforadulthood, (str)):
                                                raise Invalid
                                            if not (isinstance(data__sections__e__outcomes_item__preparingforadulthood, str) and data__sections__e__outcomes_item__preparingforadulthood == 'employment' or isinstance(data__sections__e__outcomes_item__preparingforadulthood, str) and data__sections__e__outcomes_item__preparingforadulthood == 'independent_living' or isinstance(data__sections__e__outcomes_item__preparingforadulthood, str) and data__sections__e__outcomes_item__preparingforadulthood == 'community_participation' or isinstance(data__sections__e__outcomes_item__preparingforadulthood, str) and data__sections__e__outcomes_item__preparingforadulthood == 'health'):
                                                raise Invalid
                                        if data__sections__e__outcomes_item_keys:
                                            raise Invalid
                        if data__sections__e_keys:
                            raise Invalid
                if "f" in data__sections_keys:
                    data__sections_keys.remove("f")
                    data__sections__f = data__sections["f"]
                    validate_https___nis_invalid_schemas_ehcp_schema_json___defs_provision_section(data__sections__f, custom_formats, (name_prefix or "data") + ".sections.f")
                if "g" in data__sections_keys:
                    data__sections_keys.remove("g")
                    data__sections__g = data__sections["g"]
                    validate_https___nis_invalid_schemas_ehcp_schema_json___defs_provision_section(data__sections__g, custom_formats, (name_prefix or "data") + ".sections.g")
                if "h1" in data__sections_keys:
                    data__sections_keys.remove("h1")
                    data__sections__h1 = data__sections["h1"]
                    validate_https___nis_invalid_schemas_ehcp_schema_json___defs_provision_section(data__sections__h1, custom_formats, (name_prefix or "data") + ".sections.h1")
                if "h2" in data__sections_keys:
                    data__sections_keys.remove("h2")
                    data__sections__h2 = data__sections["h2"]
                    validate_https___nis_invalid_schemas_ehcp_schema_json___defs_provision_section(data__sections__h2, custom_formats, (name_prefix or "data") + ".sections.h2")
                if "i" in data__sections_keys:
                    data__sections_keys.remove("i")
                    data__sections__i = data__sections["i"]
                    if not isinstance(data__sections__i, (dict)):
                        raise Invalid
                    data__sections__i_is_dict = isinstance(data__sections__i, dict)
                    if data__sections__i_is_dict:
                        data__sections__i_keys = set(data__sections__i.keys())
                        if "placement" in data__sections__i_keys:
                            data__sections__i_keys.remove("placement")
                            data__sections__i__placement = data__sections__i["placement"]
                            validate_https___nis_invalid_schemas_ehcp_schema_json___defs_placement(data__sections__i__placement, custom_formats, (name_prefix or "data") + ".sections.i.placement")
                        if "request" in data__sections__i_keys:
                            data__sections__i_keys.remove("request")
                            data__sections__i__request = data__sections__i["request"]
                            if not isinstance(data__sections__i__request, (dict)):
                                raise Invalid
                            data__sections__i__request_is_dict = isinstance(data__sections__i__request, dict)
                            if data__sections__i__request_is_dict:
                                data__sections__i__request__missing_keys = set(['made']) - data__sections__i__request.keys()
                                if data__sections__i__request__missing_keys:
                                    raise Invalid
                                data__sections__i__request_keys = set(data__sections__i__request.keys())
                                if "made" in data__sections__i__request_keys:
                                    data__sections__i__request_keys.remove("made")
                                    data__sections__i__request__made = data__sections__i__request["made"]
                                    if not isinstance(data__sections__i__request__made, (bool)):
                                        raise Invalid
                                if "date" in data__sections__i__request_keys:
                                    data__sections__i__request_keys.remove("date")
                                    data__sections__i__request__date = data__sections__i__request["date"]
                                    validate_https___nis_invalid_schemas_ehcp_schema_json___defs_date(data__sections__i__request__date, custom_formats, (name_prefix or "data") + ".sections.i.request.date")
                                if "institution" in data__sections__i__request_keys:
                                    data__sections__i__request_keys.remove("institution")
                                    data__sections__i__request__institution = data__sections__i__request["institution"]
                                    validate_https___nis_invalid_schemas_ehcp_schema_json___defs_placement(data__sections__i__request__institution, custom_formats, (name_prefix or "data") + ".sections.i.request.institution")
                                if data__sections__i__request_keys:
                                    raise Invalid
                        if "consultations" in data__sections__i_keys:
                            data__sections__i_keys.remove("consultations")
                            data__sections__i__consultations = data__sections__i["consultations"]
                            if not isinstance(data__sections__i__consultations, (list, tuple)):
                                raise Invalid
                            data__sections__i__consultations_is_list = isinstance(data__sections__i__consultations, (list, tuple))
                            if data__sections__i__consultations_is_list:
                                data__sections__i__consultations_len = len(data__sections__i__consultations)
                                for data__sections__i__consultations_x, data__sections__i__consultations_item in enumerate(data__sections__i__consultations):
                                    if not isinstance(data__sections__i__consultations_item, (dict)):
                                        raise Invalid
                                    data__sections__i__consultations_item_is_dict = isinstance(data__sections__i__consultations_item, dict)
                                    if data__sections__i__consultations_item_is_dict:
                                        data__sections__i__consultations_item__missing_keys = set(['institution']) - data__sections__i__consultations_item.keys()
                                        if data__sections__i__consultations_item__missing_keys:
                                            raise Invalid
                                        data__sections__i__consultations_item_keys = set(data__sections__i__consultations_item.keys())
                                        if "institution" in data__sections__i__consultations_item_keys:
                                            data__sections__i__consultations_item_keys.remove("institution")
                                            data__sections__i__consultations_item__institution = data__sections__i__consultations_item["institution"]
                                            validate_https___nis_invalid_schemas_ehcp_schema_json___defs_placement(data__sections__i__consultations_item__institution, custom_formats, (name_prefix or "data") + ".sections.i.consultations[{data__sections__i__consultations_x}].institution")
                                        if "date" in data__sections__i__consultations_item_keys:
                                            data__sections__i__consultations_item_keys.remove("date")
                                            data__sections__i__consultations_item__date = data__sections__i__consultations_item["date"]
                                            validate_https___nis_invalid_schemas_ehcp_schema_json___defs_date(data__sections__i__consultations_item__date, custom_formats, (name_prefix or "data") + ".sections.i.consultations[{data__sections__i__consultations_x}].date")
                                        if "response" in data__sections__i__consultations_item_keys:
                                            data__sections__i__consultations_item_keys.remove("response")
                                            data__sections__i__consultations_item__response = data__sections__i__consultations_item["response"]
                                            if not isinstance(data__sections__i__consultations_item__response, (str)):
                                                raise Invalid
                                            if not (isinstance(data__sections__i__consultations_item__response, str) and data__sections__i__consultations_item__response == 'agrees' or isinstance(data__sections__i__consultations_item__response, str) and data__sections__i__consultations_item__response == 'objects' or isinstance(data__sections__i__consultations_item__response, str) and data__sections__i__consultations_item__response == 'no_response'):
                                                raise Invalid
                                        if "response_date" in data__sections__i__consultations_item_keys:
                                            data__sections__i__consultations_item_keys.remove("response_date")
                                            data__sections__i__consultations_item__responsedate = data__sections__i__consultations_item["response_date"]
                                            validate_https___nis_invalid_schemas_ehcp_schema_json___defs_date(data__sections__i__consultations_item__responsedate, custom_formats, (name_prefix or "data") + ".sections.i.consultations[{data__sections__i__consultations_x}].response_date")
                                        if data__sections__i__consultations_item_keys:
                                            raise Invalid
                        if "request_refused" in data__sections__i_keys:
                            data__sections__i_keys.remove("request_refused")
                            data__sections__i__requestrefused = data__sections__i["request_refused"]
                            if not isinstance(data__sections__i__requestrefused, (dict)):
                                raise Invalid
                            data__sections__i__requestrefused_is_dict = isinstance(data__sections__i__requestrefused, dict)
                            if data__sections__i__requestrefused_is_dict:
                                data__sections__i__requestrefused__missing_keys = set(['ground']) - data__sections__i__requestrefused.keys()
                                if data__sections__i__requestrefused__missing_keys:
                                    raise Invalid
                                data__sections__i__requestrefused_keys = set(data__sections__i__requestrefused.keys())
                                if "ground" in data__sections__i__requestrefused_keys:
                                    data__sections__i__requestrefused_keys.remove("ground")
                                    data__sections__i__requestrefused__ground = data__sections__i__requestrefused["ground"]
                                    if not isinstance(data__sections__i__requestrefused__ground, (str)):
                                        raise Invalid
                                    if not (isinstance(data__sections__i__requestrefused__ground, str) and data__sections__i__requestrefused__ground == 'unsuitable' or isinstance(data__sections__i__requestrefused__ground, str) and data__sections__i__requestrefused__ground == 'incompatible_with_efficient_education_of_others' or isinstance(data__sections__i__requestrefused__ground, str) and data__sections__i__requestrefused__ground == 'incompatible_with_efficient_use_of_resources'):
                                        raise Invalid
                                if "reasons" in data__sections__i__requestrefused_keys:
                                    data__sections__i__requestrefused_keys.remove("reasons")
                                    data__sections__i__requestrefused__reasons = data__sections__i__requestrefused["reasons"]
                                    if not isinstance(data__sections__i__requestrefused__reasons, (str)):
                                        raise Invalid
                                    if isinstance(data__sections__i__requestrefused__reasons, str):
                                        data__sections__i__requestrefused__reasons_len = len(data__sections__i__requestrefused__reasons)
                                        if data__sections__i__requestrefused__reasons_len < 1:
                                            raise Invalid
                                if data__sections__i__requestrefused_keys:
                                    raise Invalid
                        if "mainstream_exception" in data__sections__i_keys:
                            data__sections__i_keys.remove("mainstream_exception")
                            data__sections__i__mainstreamexception = data__sections__i["mainstream_exception"]
                            if not isinstance(data__sections__i__mainstreamexception, (dict)):
                                raise Invalid
                            data__sections__i__mainstreamexception_is_dict = isinstance(data__sections__i__mainstreamexception, dict)
                            if data__sections__i__mainstreamexception_is_dict:
                                data__sections__i__mainstreamexception__missing_keys = set(['ground']) - data__sections__i__mainstreamexception.keys()
                                if data__sections__i__mainstreamexception__missing_keys:
                                    raise Invalid
                                data__sections__i__mainstreamexception_keys = set(data__sections__i__mainstreamexception.keys())
                                if "ground" in data__sections__i__mainstreamexception_keys:
                                    data__sections__i__mainstreamexception_keys.remove("ground")
                                    data__sections__i__mainstreamexception__ground = data__sections__i__mainstreamexception["ground"]
                                    if not isinstance(data__sections__i__mainstreamexception__ground, (str)):
                                        raise Invalid
                                    if not (isinstance(data__sections__i__mainstreamexception__ground, str) and data__sections__i__mainstreamexception__ground == 'wishes_of_parent_or_young_person' or isinstance(data__sections__i__mainstreamexception__ground, str) and data__sections__i__mainstreamexception__ground == 'incompatible_with_efficient_education_of_others'):
                                        raise Invalid
                                if "reasonable_steps" in data__sections__i__mainstreamexception_keys:
                                    data__sections__i__mainstreamexception_keys.remove("reasonable_steps")
                                    data__sections__i__mainstreamexception__reasonablesteps = data__sections__i__mainstreamexception["reasonable_steps"]
                                    if not isinstance(data__sections__i__mainstreamexception__reasonablesteps, (str)):
                                        raise Invalid
                                    if isinstance(data__sections__i__mainstreamexception__reasonablesteps, str):
                                        data__sections__i__mainstreamexception__reasonablesteps_len = len(data__sections__i__mainstreamexception__reasonablesteps)
                                        if data__sections__i__mainstreamexception__reasonablesteps_len < 1:
                                            raise Invalid
                                if data__sections__i__mainstreamexception_keys:
                                    raise Invalid
                        if data__sections__i_keys:
                            raise Invalid
                if "j" in data__sections_keys:
                    data__sections_keys.remove("j")
                    data__sections__j = data__sections["j"]
                    if not isinstance(data__sections__j, (dict)):
                        raise Invalid
                    data__sections__j_is_dict = isinstance(data__sections__j, dict)
                    if data__sections__j_is_dict:
                        data__sections__j_keys = set(data__sections__j.keys())
                        if "personal_budget" in data__sections__j_keys:
                            data__sections__j_keys.remove("personal_budget")
                            data__sections__j__personalbudget = data__sections__j["personal_budget"]
                            if not isinstance(data__sections__j__personalbudget, (dict)):
                                raise Invalid
                            data__sections__j__personalbudget_is_dict = isinstance(data__sections__j__personalbudget, dict)
                            if data__sections__j__personalbudget_is_dict:
                                data__sections__j__personalbudget_keys = set(data__sections__j__personalbudget.keys())
                                if "amount_pence" in data__sections__j__personalbudget_keys:
                                    data__sections__j__personalbudget_keys.remove("amount_pence")
                                    data__sections__j__personalbudget__amountpence = data__sections__j__personalbudget["amount_pence"]
                                    if not isinstance(data__sections__j__personalbudget__amountpence, (int)) and not (isinstance(data__sections__j__personalbudget__amountpence, float) and data__sections__j__personalbudget__amountpence.is_integer()) or isinstance(data__sections__j__personalbudget__amountpence, bool):
                                        raise Invalid
                                    if isinstance(data__sections__j__personalbudget__amountpence, (int, float, Decimal)) and not isinstance(data__sections__j__personalbudget__amountpence, bool):
                                        if data__sections__j__personalbudget__amountpence < 0:
                                            raise Invalid
                                        if data__sections__j__personalbudget__amountpence > 100000000:
                                            raise Invalid
                                if "direct_payment" in data__sections__j__personalbudget_keys:
                                    data__sections__j__personalbudget_keys.remove("direct_payment")
                                    data__sections__j__personalbudget__directpayment = data__sections__j__personalbudget["direct_payment"]
                                    if not isinstance(data__sections__j__personalbudget__directpayment, (bool)):
                                        raise Invalid
                                if "description" in data__sections__j__personalbudget_keys:
                                    data__sections__j__personalbudget_keys.remove("description")
                                    data__sections__j__personalbudget__description = data__sections__j__personalbudget["description"]
                                    if not isinstance(data__sections__j__personalbudget__description, (str)):
                                        raise Invalid
                                if data__sections__j__personalbudget_keys:
                                    raise Invalid
                        if data__sections__j_keys:
                            raise Invalid
                if "k" in data__sections_keys:
                    data__sections_keys.remove("k")
                    data__sections__k = data__sections["k"]
                    if not isinstance(data__sections__k, (dict)):
                        raise Invalid
                    data__sections__k_is_dict = isinstance(data__sections__k, dict)
                    if data__sections__k_is_dict:
                        data__sections__k_keys = set(data__sections__k.keys())
                        if "advice" in data__sections__k_keys:
                            data__sections__k_keys.remove("advice")
                            data__sections__k__advice = data__sections__k["advice"]
                            if not isinstance(data__sections__k__advice, (list, tuple)):
                                raise Invalid
                            data__sections__k__advice_is_list = isinstance(data__sections__k__advice, (list, tuple))
                            if data__sections__k__advice_is_list:
                                data__sections__k__advice_len = len(data__sections__k__advice)
                                for data__sections__k__advice_x, data__sections__k__advice_item in enumerate(data__sections__k__advice):
                                    if not isinstance(data__sections__k__advice_item, (dict)):
                                        raise Invalid
                                    data__sections__k__advice_item_is_dict = isinstance(data__sections__k__advice_item, dict)
                                    if data__sections__k__advice_item_is_dict:
                                        data__sections__k__advice_item__missing_keys = set(['role']) - data__sections__k__advice_item.keys()
                                        if data__sections__k__advice_item__missing_keys:
                                            raise Invalid
                                        data__sections__k__advice_item_keys = set(data__sections__k__advice_item.keys())
                                        if "role" in data__sections__k__advice_item_keys:
                                            data__sections__k__advice_item_keys.remove("role")
                                            data__sections__k__advice_item__role = data__sections__k__advice_item["role"]
                                            validate_https___nis_invalid_schemas_ehcp_schema_json___defs_role(data__sections__k__advice_item__role, custom_formats, (name_prefix or "data") + ".sections.k.advice[{data__sections__k__advice_x}].role")
                                        if "source" in data__sections__k__advice_item_keys:
                                            data__sections__k__advice_item_keys.remove("source")
                                            data__sections__k__advice_item__source = data__sections__k__advice_item["source"]
                                            if not isinstance(data__sections__k__advice_item__source, (str)):
                                                raise Invalid
                                        if "date" in data__sections__k__advice_item_keys:
                                            data__sections__k__advice_item_keys.remove("date")
                                            data__sections__k__advice_item__date = data__sections__k__advice_item["date"]
                                            validate_https___nis_invalid_schemas_ehcp_schema_json___defs_date(data__sections__k__advice_item__date, custom_formats, (name_prefix or "data") + ".sections.k.advice[{data__sections__k__advice_x}].date")
                                        if "preparing_for_adulthood" in data__sections__k__advice_item_keys:
                                            data__sections__k__advice_item_keys.remove("preparing_for_adulthood")
                                            data__sections__k__advice_item__preparingforadulthood = data__sections__k__advice_item["preparing_for_adulthood"]
                                            if not isinstance(data__sections__k__advice_item__preparingforadulthood, (bool)):
                                                raise Invalid
                                        if data__sections__k__advice_item_keys:
                                            raise Invalid
                        if data__sections__k_keys:
                            raise Invalid
                if data__sections_keys:
                    raise Invalid
        if "process" in data_keys:
            data_keys.remove("process")
            data__process = data["process"]
            if not isinstance(data__process, (dict)):
                raise Invalid
            data__process_is_dict = isinstance(data__process, dict)
            if data__process_is_dict:
                data__process_keys = set(data__process.keys())
                if "request_received" in data__process_keys:
                    data__process_keys.remove("request_received")
                    data__process__requestreceived = data__process["request_received"]
                    validate_https___nis_invalid_schemas_ehcp_schema_json___defs_date(data__process__requestreceived, custom_formats, (name_prefix or "data") + ".process.request_received")
                if "decision_to_assess" in data__process_keys:
                    data__process_keys.remove("decision_to_assess")
                    data__process__decisiontoassess = data__process["decision_to_assess"]
                    validate_https___nis_invalid_schemas_ehcp_schema_json___defs_date(data__process__decisiontoassess, custom_formats, (name_prefix or "data") + ".process.decision_to_assess")
                if "assessment_decision" in data__process_keys:
                    data__process_keys.remove("assessment_decision")
                    data__process__assessmentdecision = data__process["assessment_decision"]
                    if not isinstance(data__process__assessmentdecision, (str)):
                        raise Invalid
                    if not (isinstance(data__process__assessmentdecision, str) and data__process__assessmentdecision == 'assess' or isinstance(data__process__assessmentdecision, str) and data__process__assessmentdecision == 'refuse'):
                        raise Invalid
                if "decision_to_assess_notice" in data__process_keys:
                    data__process_keys.remove("decision_to_assess_notice")
                    data__process__decisiontoassessnotice = data__process["decision_to_assess_notice"]
                    validate_https___nis_invalid_schemas_ehcp_schema_json___defs_decision_notice(data__process__decisiontoassessnotice, custom_formats, (name_prefix or "data") + ".process.decision_to_assess_notice")
                if "issue_decision" in data__process_keys:
                    data__process_keys.remove("issue_decision")
                    data__process__issuedecision = data__process["issue_decision"]
                    if not isinstance(data__process__issuedecision, (str)):
                        raise Invalid
                    if not (isinstance(data__process__issuedecision, str) and data__process__issuedecision == 'issue' or isinstance(data__process__issuedecision, str) and data__process__issuedecision == 'not_issue'):
                        raise Invalid
                if "issue_decision_notified" in data__process_keys:
                    data__process_keys.remove("issue_decision_notified")
                    data__process__issuedecisionnotified = data__process["issue_decision_notified"]
                    validate_https___nis_invalid_schemas_ehcp_schema_json___defs_date(data__process__issuedecisionnotified, custom_formats, (name_prefix or "data") + ".process.issue_decision_notified")
                if "issue_decision_notice" in data__process_keys:
                    data__process_keys.remove("issue_decision_notice")
                    data__process__issuedecisionnotice = data__process["issue_decision_notice"]
                    validate_https___nis_invalid_schemas_ehcp_schema_json___defs_decision_notice(data__process__issuedecisionnotice, custom_formats, (name_prefix or "data") + ".process.issue_decision_notice")
                if "draft_issued" in data__process_keys:
                    data__process_keys.remove("draft_issued")
                    data__process__draftissued = data__process["draft_issued"]
                    validate_https___nis_invalid_schemas_ehcp_schema_json___defs_date(data__process__draftissued, custom_formats, (name_prefix or "data") + ".process.draft_issued")
                if "parental_comments_received" in data__process_keys:
                    data__process_keys.remove("parental_comments_received")
                    data__process__parentalcommentsreceived = data__process["parental_comments_received"]
                    validate_https___nis_invalid_schemas_ehcp_schema_json___defs_date(data__process__parentalcommentsreceived, custom_formats, (name_prefix or "data") + ".process.parental_comments_received")
                if "final_issued" in data__process_keys:
                    data__process_keys.remove("final_issued")
                    data__process__finalissued = data__process["final_issued"]
                    validate_https___nis_invalid_schemas_ehcp_schema_json___defs_date(data__process__finalissued, custom_formats, (name_prefix or "data") + ".process.final_issued")
                if "final_plan_notice" in data__process_keys:
                    data__process_keys.remove("final_plan_notice")
                    data__process__finalplannotice = data__process["final_plan_notice"]
                    validate_https___nis_invalid_schemas_ehcp_schema_json___defs_decision_notice(data__process__finalplannotice, custom_formats, (name_prefix or "data") + ".process.final_plan_notice")
                if "plan_date" in data__process_keys:
                    data__process_keys.remove("plan_date")
                    data__process__plandate = data__process["plan_date"]
                    validate_https___nis_invalid_schemas_ehcp_schema_json___defs_date(data__process__plandate, custom_formats, (name_prefix or "data") + ".process.plan_date")
                if "advice" in data__process_keys:
                    data__process_keys.remove("advice")
                    data__process__advice = data__process["advice"]
                    if not isinstance(data__process__advice, (list, tuple)):
                        raise Invalid
                    data__process__advice_is_list = isinstance(data__process__advice, (list, tuple))
                    if data__process__advice_is_list:
                        data__process__advice_len = len(data__process__advice)
                        for data__process__advice_x, data__process__advice_item in enumerate(data__process__advice):
                            if not isinstance(data__process__advice_item, (dict)):
                                raise Invalid
                            data__process__advice_item_is_dict = isinstance(data__process__advice_item, dict)
                            if data__process__advice_item_is_dict:
                                data__process__advice_item__missing_keys = set(['kind']) - data__process__advice_item.keys()
                                if data__process__advice_item__missing_keys:
                                    raise Invalid
                                data__process__advice_item_keys = set(data__process__advice_item.keys())
                                if "kind" in data__process__advice_item_keys:
                                    data__process__advice_item_keys.remove("kind")
                                    data__process__advice_item__kind = data__process__advice_item["kind"]
                                    if not isinstance(data__process__advice_item__kind, (str)):
                                        raise Invalid
                                    if not (isinstance(data__process__advice_item__kind, str) and data__process__advice_item__kind == 'parent' or isinstance(data__process__advice_item__kind, str) and data__process__advice_item__kind == 'educational' or isinstance(data__process__advice_item__kind, str) and data__process__advice_item__kind == 'medical' or isinstance(data__process__advice_item__kind, str) and data__process__advice_item__kind == 'psychological' or isinstance(data__process__advice_item__kind, str) and data__process__advice_item__kind == 'social_care' or isinstance(data__process__advice_item__kind, str) and data__process__advice_item__kind == 'other' or isinstance(data__process__advice_item__kind, str) and data__process__advice_item__kind == 'preparation_for_adulthood' or isinstance(data__process__advice_item__kind, str) and data__process__advice_item__kind == 'family_requested'):
                                        raise Invalid
                                if "from" in data__process__advice_item_keys:
                                    data__process__advice_item_keys.remove("from")
                                    data__process__advice_item__from = data__process__advice_item["from"]
                                    if not isinstance(data__process__advice_item__from, (str)):
                                        raise Invalid
                                if "requested" in data__process__advice_item_keys:
                                    data__process__advice_item_keys.remove("requested")
                                    data__process__advice_item__requested = data__process__advice_item["requested"]
                                    validate_https___nis_invalid_schemas_ehcp_schema_json___defs_date(data__process__advice_item__requested, custom_formats, (name_prefix or "data") + ".process.advice[{data__process__advice_x}].requested")
                                if "received" in data__process__advice_item_keys:
                                    data__process__advice_item_keys.remove("received")
                                    data__process__advice_item__received = data__process__advice_item["received"]
                                    validate_https___nis_invalid_schemas_ehcp_schema_json___defs_date(data__process__advice_item__received, custom_formats, (name_prefix or "data") + ".process.advice[{data__process__advice_x}].received")
                                if "section_31_request" in data__process__advice_item_keys:
                                    data__process__advice_item_keys.remove("section_31_request")
                                    data__process__advice_item__section31request = data__process__advice_item["section_31_request"]
                                    if not isinstance(data__process__advice_item__section31request, (bool)):
                                        raise Invalid
                                if "reused" in data__process__advice_item_keys:
                                    data__process__advice_item_keys.remove("reused")
                                    data__process__advice_item__reused = data__process__advice_item["reused"]
                                    if not isinstance(data__process__advice_item__reused, (bool)):
                                        raise Invalid
                                if "reuse_agreed_by_family" in data__process__advice_item_keys:
                                    data__process__advice_item_keys.remove("reuse_agreed_by_family")
                                    data__process__advice_item__reuseagreedbyfamily = data__process__advice_item["reuse_agreed_by_family"]
                                    if not isinstance(data__process__advice_item__reuseagreedbyfamily, (bool)):
                                        raise Invalid
                                if "reuse_agreed_by_adviser" in data__process__advice_item_keys:
                                    data__process__advice_item_keys.remove("reuse_agreed_by_adviser")
                                    data__process__advice_item__reuseagreedbyadviser = data__process__advice_item["reuse_agreed_by_adviser"]
                                    if not isinstance(data__process__advice_item__reuseagreedbyadviser, (bool)):
                                        raise Invalid
                                if "exceptions" in data__process__advice_item_keys:
                                    data__process__advice_item_keys.remove("exceptions")
                                    data__process__advice_item__exceptions = data__process__advice_item["exceptions"]
                                    if not isinstance(data__process__advice_item__exceptions, (list, tuple)):
                                        raise Invalid
                                    data__process__advice_item__exceptions_is_list = isinstance(data__process__advice_item__exceptions, (list, tuple))
                                    if data__process__advice_item__exceptions_is_list:
                                        data__process__advice_item__exceptions_len = len(data__process__advice_item__exceptions)
                                        for data__process__advice_item__exceptions_x, data__process__advice_item__exceptions_item in enumerate(data__process__advice_item__exceptions):
                                            validate_https___nis_invalid_schemas_ehcp_schema_json___defs_time_limit_exception(data__process__advice_item__exceptions_item, custom_formats, (name_prefix or "data") + ".process.advice[{data__process__advice_x}].exceptions[{data__process__advice_item__exceptions_x}]")
                                if data__process__advice_item_keys:
                                    raise Invalid
                if "family_advice_requests" in data__process_keys:
                    data__process_keys.remove("family_advice_requests")
                    data__process__familyadvicerequests = data__process["family_advice_requests"]
                    if not isinstance(data__process__familyadvicerequests, (list, tuple)):
                        raise Invalid
                    data__process__familyadvicerequests_is_list = isinstance(data__process__familyadvicerequests, (list, tuple))
                    if data__process__familyadvicerequests_is_list:
                        data__process__familyadvicerequests_len = len(data__process__familyadvicerequests)
                        for data__process__familyadvicerequests_x, data__process__familyadvicerequests_item in enumerate(data__process__familyadvicerequests):
                            if not isinstance(data__process__familyadvicerequests_item, (dict)):
                                raise Invalid
                            data__process__familyadvicerequests_item_is_dict = isinstance(data__process__familyadvicerequests_item, dict)
                            if data__process__familyadvicerequests_item_is_dict:
                                data__process__familyadvicerequests_item_keys = set(data__process__familyadvicerequests_item.keys())
                                if "from" in data__process__familyadvicerequests_item_keys:
                                    data__process__familyadvicerequests_item_keys.remove("from")
                                    data__process__familyadvicerequests_item__from = data__process__familyadvicerequests_item["from"]
                                    if not isinstance(data__process__familyadvicerequests_item__from, (str)):
                                        raise Invalid
                                if "requested" in data__process__familyadvicerequests_item_keys:
                                    data__process__familyadvicerequests_item_keys.remove("requested")
                                    data__process__familyadvicerequests_item__requested = data__process__familyadvicerequests_item["requested"]
                                    validate_https___nis_invalid_schemas_ehcp_schema_json___defs_date(data__process__familyadvicerequests_item__requested, custom_formats, (name_prefix or "data") + ".process.family_advice_requests[{data__process__familyadvicerequests_x}].requested")
                                if "sought" in data__process__familyadvicerequests_item_keys:
                                    data__process__familyadvicerequests_item_keys.remove("sought")
                                    data__process__familyadvicerequests_item__sought = data__process__familyadvicerequests_item["sought"]
                                    if not isinstance(data__process__familyadvicerequests_item__sought, (bool)):
                                        raise Invalid
                                if "reason_not_sought" in data__process__familyadvicerequests_item_keys:
                                    data__process__familyadvicerequests_item_keys.remove("reason_not_sought")
                                    data__process__familyadvicerequests_item__reasonnotsought = data__process__familyadvicerequests_item["reason_not_sought"]
                                    if not isinstance(data__process__familyadvicerequests_item__reasonnotsought, (str)):
                                        raise Invalid
                                if data__process__familyadvicerequests_item_keys:
                                    raise Invalid
                if "annual_reviews" in data__process_keys:
                    data__process_keys.remove("annual_reviews")
                    data__process__annualreviews = data__process["annual_reviews"]
                    if not isinstance(data__process__annualreviews, (list, tuple)):
                        raise Invalid
                    data__process__annualreviews_is_list = isinstance(data__process__annualreviews, (list, tuple))
                    if data__process__annualreviews_is_list:
                        data__process__annualreviews_len = len(data__process__annualreviews)
                        if data__process__annualreviews_len > 100:
                            raise Invalid
                        for data__process__annualreviews_x, data__process__annualreviews_item in enumerate(data__process__annualreviews):
                            if not isinstance(data__process__annualreviews_item, (dict)):
                                raise Invalid
                            data__process__annualreviews_item_is_dict = isinstance(data__process__annualreviews_item, dict)
                            if data__process__annualreviews_item_is_dict:
                                data__process__annualreviews_item__missing_keys = set(['date']) - data__process__annualreviews_item.keys()
                                if data__process__annualreviews_item__missing_keys:
                                    raise Invalid
                                data__process__annualreviews_item_keys = set(data__process__annualreviews_item.keys())
                                if "date" in data__process__annualreviews_item_keys:
                                    data__process__annualreviews_item_keys.remove("date")
                                    data__process__annualreviews_item__date = data__process__annualreviews_item["date"]
                                    validate_https___nis_invalid_schemas_ehcp_schema_json___defs_date(data__process__annualreviews_item__date, custom_formats, (name_prefix or "data") + ".process.annual_reviews[{data__process__annualreviews_x}].date")
                                if "outcome" in data__process__annualreviews_item_keys:
                                    data__process__annualreviews_item_keys.remove("outcome")
                                    data__process__annualreviews_item__outcome = data__process__annualreviews_item["outcome"]
                                    if not isinstance(data__process__annualreviews_item__outcome, (str)):
                                        raise Invalid
                                    if not (isinstance(data__process__annualreviews_item__outcome, str) and data__process__annualreviews_item__outcome == 'maintain' or isinstance(data__process__annualreviews_item__outcome, str) and data__process__annualreviews_item__outcome == 'amend' or isinstance(data__process__annualreviews_item__outcome, str) and data__process__annualreviews_item__outcome == 'cease'):
                                        raise Invalid
                                if "decision_notified" in data__process__annualreviews_item_keys:
                                    data__process__annualreviews_item_keys.remove("decision_notified")
                                    data__process__annualreviews_item__decisionnotified = data__process__annualreviews_item["decision_notified"]
                                    validate_https___nis_invalid_schemas_ehcp_schema_json___defs_date(data__process__annualreviews_item__decisionnotified, custom_formats, (name_prefix or "data") + ".process.annual_reviews[{data__process__annualreviews_x}].decision_notified")
                                if "invited" in data__process__annualreviews_item_keys:
                                    data__process__annualreviews_item_keys.remove("invited")
                                    data__process__annualreviews_item__invited = data__process__annualreviews_item["invited"]
                                    if not isinstance(data__process__annualreviews_item__invited, (list, tuple)):
                                        raise Invalid
                                    data__process__annualreviews_item__invited_is_list = isinstance(data__process__annualreviews_item__invited, (list, tuple))
                                    if data__process__annualreviews_item__invited_is_list:
                                        def fn(var): return frozenset(dict((k, fn(v)) for k, v in var.items()).items()) if hasattr(var, "items") else tuple(fn(v) for v in var) if isinstance(var, (dict, list)) else (bool, var) if isinstance(var, bool) else var
                                        data__process__annualreviews_item__invited_len = len(data__process__annualreviews_item__invited)
                                        if data__process__annualreviews_item__invited_len > len(set(fn(data__process__annualreviews_item__invited_x) for data__process__annualreviews_item__invited_x in data__process__annualreviews_item__invited)):
                                            raise Invalid
                                        for data__process__annualreviews_item__invited_x, data__process__annualreviews_item__invited_item in enumerate(data__process__annualreviews_item__invited):
                                            if not isinstance(data__process__annualreviews_item__invited_item, (str)):
                                                raise Invalid
                                            if not (isinstance(data__process__annualreviews_item__invited_item, str) and data__process__annualreviews_item__invited_item == 'parent_or_young_person' or isinstance(data__process__annualreviews_item__invited_item, str) and data__process__annualreviews_item__invited_item == 'head_teacher_or_principal' or isinstance(data__process__annualreviews_item__invited_item, str) and data__process__annualreviews_item__invited_item == 'early_years_provider' or isinstance(data__process__annualreviews_item__invited_item, str) and data__process__annualreviews_item__invited_item == 'la_sen_officer' or isinstance(data__process__annualreviews_item__invited_item, str) and data__process__annualreviews_item__invited_item == 'health_professional' or isinstance(data__process__annualreviews_item__invited_item, str) and data__process__annualreviews_item__invited_item == 'social_care_officer' or isinstance(data__process__annualreviews_item__invited_item, str) and data__process__annualreviews_item__invited_item == 'child' or isinstance(data__process__annualreviews_item__invited_item, str) and data__process__annualreviews_item__invited_item == 'other'):
                                                raise Invalid
                                if "invitations_sent" in data__process__annualreviews_item_keys:
                                    data__process__annualreviews_item_keys.remove("invitations_sent")
                                    data__process__annualreviews_item__invitationssent = data__process__annualreviews_item["invitations_sent"]
                                    validate_https___nis_invalid_schemas_ehcp_schema_json___defs_date(data__process__annualreviews_item__invitationssent, custom_formats, (name_prefix or "data") + ".process.annual_reviews[{data__process__annualreviews_x}].invitations_sent")
                                if "advice_circulated" in data__process__annualreviews_item_keys:
                                    data__process__annualreviews_item_keys.remove("advice_circulated")
                                    data__process__annualreviews_item__advicecirculated = data__process__annualreviews_item["advice_circulated"]
                                    validate_https___nis_invalid_schemas_ehcp_schema_json___defs_date(data__process__annualreviews_item__advicecirculated, custom_formats, (name_prefix or "data") + ".process.annual_reviews[{data__process__annualreviews_x}].advice_circulated")
                                if "report_sent" in data__process__annualreviews_item_keys:
                                    data__process__annualreviews_item_keys.remove("report_sent")
                                    data__process__annualreviews_item__reportsent = data__process__annualreviews_item["report_sent"]
                                    validate_https___nis_invalid_schemas_ehcp_schema_json___defs_date(data__process__annualreviews_item__reportsent, custom_formats, (name_prefix or "data") + ".process.annual_reviews[{data__process__annualreviews_x}].report_sent")
                                if "decision_notice" in data__process__annualreviews_item_keys:
                                    data__process__annualreviews_item_keys.remove("decision_notice")
                                    data__process__annualreviews_item__decisionnotice = data__process__annualreviews_item["decision_notice"]
                                    validate_https___nis_invalid_schemas_ehcp_schema_json___defs_decision_notice(data__process__annualreviews_item__decisionnotice, custom_formats, (name_prefix or "data") + ".process.annual_reviews[{data__process__annualreviews_x}].decision_notice")
                                if "amendment_notice_sent" in data__process__annualreviews_item_keys:
                                    data__process__annualreviews_item_keys.remove("amendment_notice_sent")
                                    data__process__annualreviews_item__amendmentnoticesent = data__process__annualreviews_item["amendment_notice_sent"]
                                    validate_https___nis_invalid_schemas_ehcp_schema_json___defs_date(data__process__annualreviews_item__amendmentnoticesent, custom_formats, (name_prefix or "data") + ".process.annual_reviews[{data__process__annualreviews_x}].amendment_notice_sent")
                                if "amended_plan_issued" in data__process__annualreviews_item_keys:
                                    data__process__annualreviews_item_keys.remove("amended_plan_issued")
                                    data__process__annualreviews_item__amendedplanissued = data__process__annualreviews_item["amended_plan_issued"]
                                    validate_https___nis_invalid_schemas_ehcp_schema_json___defs_date(data__process__annualreviews_item__amendedplanissued, custom_formats, (name_prefix or "data") + ".process.annual_reviews[{data__process__annualreviews_x}].amended_plan_issued")
                                if "not_amended_notified" in data__process__annualreviews_item_keys:
                                    data__process__annualreviews_item_keys.remove("not_amended_notified")
                                    data__process__annualreviews_item__notamendednotified = data__process__annualreviews_item["not_amended_notified"]
                                    validate_https___nis_invalid_schemas_ehcp_schema_json___defs_date(data__process__annualreviews_item__notamendednotified, custom_formats, (name_prefix or "data") + ".process.annual_reviews[{data__process__annualreviews_x}].not_amended_notified")
                                if data__process__annualreviews_item_keys:
                                    raise Invalid
                if "reassessments" in data__process_keys:
                    data__process_keys.remove("reassessments")
                    data__process__reassessments = data__process["reassessments"]
                    if not isinstance(data__process__reassessments, (list, tuple)):
                        raise Invalid
                    data__process__reassessments_is_list = isinstance(data__process__reassessments, (list, tuple))
                    if data__process__reassessments_is_list:
                        data__process__reassessments_len = len(data__process__reassessments)
                        for data__process__reassessments_x, data__process__reassessments_item in enumerate(data__process__reassessments):
                            if not isinstance(data__process__reassessments_item, (dict)):
                                raise Invalid
                            data__process__reassessments_item_is_dict = isinstance(data__process__reassessments_item, dict)
                            if data__process__reassessments_item_is_dict:
                                data__process__reassessments_item__missing_keys = set(['requested']) - data__process__reassessments_item.keys()
                                if data__process__reassessments_item__missing_keys:
                                    raise Invalid
                                data__process__reassessments_item_keys = set(data__process__reassessments_item.keys())
                                if "requested" in data__process__reassessments_item_keys:
                                    data__process__reassessments_item_keys.remove("requested")
                                    data__process__reassessments_item__requested = data__process__reassessments_item["requested"]
                                    validate_https___nis_invalid_schemas_ehcp_schema_json___defs_date(data__process__reassessments_item__requested, custom_formats, (name_prefix or "data") + ".process.reassessments[{data__process__reassessments_x}].requested")
                                if "requested_by" in data__process__reassessments_item_keys:
                                    data__process__reassessments_item_keys.remove("requested_by")
                                    data__process__reassessments_item__requestedby = data__process__reassessments_item["requested_by"]
                                    if not isinstance(data__process__reassessments_item__requestedby, (str)):
                                        raise Invalid
                                    if not (isinstance(data__process__reassessments_item__requestedby, str) and data__process__reassessments_item__requestedby == 'parent' or isinstance(data__process__reassessments_item__requestedby, str) and data__process__reassessments_item__requestedby == 'young_person' or isinstance(data__process__reassessments_item__requestedby, str) and data__process__reassessments_item__requestedby == 'school_or_institution' or isinstance(data__process__reassessments_item__requestedby, str) and data__process__reassessments_item__requestedby == 'health_commissioner' or isinstance(data__process__reassessments_item__requestedby, str) and data__process__reassessments_item__requestedby == 'local_authority'):
                                        raise Invalid
                                if "decision" in data__process__reassessments_item_keys:
                                    data__process__reassessments_item_keys.remove("decision")
                                    data__process__reassessments_item__decision = data__process__reassessments_item["decision"]
                                    if not isinstance(data__process__reassessments_item__decision, (str)):
                                        raise Invalid
                                    if not (isinstance(data__process__reassessments_item__decision, str) and data__process__reassessments_item__decision == 'reassess' or isinstance(data__process__reassessments_item__decision, str) and data__process__reassessments_item__decision == 'refuse'):
                                        raise Invalid
                                if "decision_notified" in data__process__reassessments_item_keys:
                                    data__process__reassessments_item_keys.remove("decision_notified")
                                    data__process__reassessments_item__decisionnotified = data__process__reassessments_item["decision_notified"]
                                    validate_https___nis_invalid_schemas_ehcp_schema_json___defs_date(data__process__reassessments_item__decisionnotified, custom_formats, (name_prefix or "data") + ".process.reassessments[{data__process__reassessments_x}].decision_notified")
                                if "decision_notice" in data__process__reassessments_item_keys:
                                    data__process__reassessments_item_keys.remove("decision_notice")
                                    data__process__reassessments_item__decisionnotice = data__process__reassessments_item["decision_notice"]
                                    validate_https___nis_invalid_schemas_ehcp_schema_json___defs_decision_notice(data__process__reassessments_item__decisionnotice, custom_formats, (name_prefix or "data") + ".process.reassessments[{data__process__reassessments_x}].decision_notice")
                                if "final_issued" in data__process__reassessments_item_keys:
                                    data__process__reassessments_item_keys.remove("final_issued")
                                    data__process__reassessments_item__finalissued = data__process__reassessments_item["final_issued"]
                                    validate_https___nis_invalid_schemas_ehcp_schema_json___defs_date(data__process__reassessments_item__finalissued, custom_formats, (name_prefix or "data") + ".process.reassessments[{data__process__reassessments_x}].final_issued")
                                if "exceptions" in data__process__reassessments_item_keys:
                                    data__process__reassessments_item_keys.remove("exceptions")
                                    data__process__reassessments_item__exceptions = data__process__reassessments_item["exceptions"]
                                    if not isinstance(data__process__reassessments_item__exceptions, (list, tuple)):
                                        raise Invalid
                                    data__process__reassessments_item__exceptions_is_list = isinstance(data__process__reassessments_item__exceptions, (list, tuple))
                                    if data__process__reassessments_item__exceptions_is_list:
                                        data__process__reassessments_item__exceptions_len = len(data__process__reassessments_item__exceptions)
                                        for data__process__reassessments_item__exceptions_x, data__process__reassessments_item__exceptions_item in enumerate(data__process__reassessments_item__exceptions):
                                            validate_https___nis_invalid_schemas_ehcp_schema_json___defs_time_limit_exception(data__process__reassessments_item__exceptions_item, custom_formats, (name_prefix or "data") + ".process.reassessments[{data__process__reassessments_x}].exceptions[{data__process__reassessments_item__exceptions_x}]")
                                if data__process__reassessments_item_keys:
                                    raise Invalid
                if "cessation" in data__process_keys:
                    data__process_keys.remove("cessation")
                    data__process__cessation = data__process["cessation"]
                    if not isinstance(data__process__cessation, (dict)):
                        raise Invalid
                    data__process__cessation_is_dict = isinstance(data__process__cessation, dict)
                    if data__process__cessation_is_dict:
                        data__process__cessation_keys = set(data__process__cessation.keys())
                        if "family_informed" in data__process__cessation_keys:
                            data__process__cessation_keys.remove("family_informed")
                            data__process__cessation__familyinformed = data__process__cessation["family_informed"]
                            validate_https___nis_invalid_schemas_ehcp_schema_json___defs_date(data__process__cessation__familyinformed, custom_formats, (name_prefix or "data") + ".process.cessation.family_informed")
                        if "family_consulted" in data__process__cessation_keys:
                            data__process__cessation_keys.remove("family_consulted")
                            data__process__cessation__familyconsulted = data__process__cessation["family_consulted"]
                            if not isinstance(data__process__cessation__familyconsulted, (bool)):
                                raise Invalid
                        if "institution_consulted" in data__process__cessation_keys:
                            data__process__cessation_keys.remove("institution_consulted")
                            data__process__cessation__institutionconsulted = data__process__cessation["institution_consulted"]
                            if not isinstance(data__process__cessation__institutionconsulted, (bool)):
                                raise Invalid
                        if "ground" in data__process__cessation_keys:
                            data__process__cessation_keys.remove("ground")
                            data__process__cessation__ground = data__process__cessation["ground"]
                            if not isinstance(data__process__cessation__ground, (str)):
                                raise Invalid
                            if not (isinstance(data__process__cessation__ground, str) and data__process__cessation__ground == 'no_longer_responsible' or isinstance(data__process__cessation__ground, str) and data__process__cessation__ground == 'no_longer_necessary' or isinstance(data__process__cessation__ground, str) and data__process__cessation__ground == 'other'):
                                raise Invalid
                        if "decision_notified" in data__process__cessation_keys:
                            data__process__cessation_keys.remove("decision_notified")
                            data__process__cessation__decisionnotified = data__process__cessation["decision_notified"]
                            validate_https___nis_invalid_schemas_ehcp_schema_json___defs_date(data__process__cessation__decisionnotified, custom_formats, (name_prefix or "data") + ".process.cessation.decision_notified")
                        if "decision_notice" in data__process__cessation_keys:
                            data__process__cessation_keys.remove("decision_notice")
                            data__process__cessation__decisionnotice = data__process__cessation["decision_notice"]
                            validate_https___nis_invalid_schemas_ehcp_schema_json___defs_decision_notice(data__process__cessation__decisionnotice, custom_formats, (name_prefix or "data") + ".process.cessation.decision_notice")
                        if "left_education" in data__process__cessation_keys:
                            data__process__cessation_keys.remove("left_education")
                            data__process__cessation__lefteducation = data__process__cessation["left_education"]
                            if not isinstance(data__process__cessation__lefteducation, (bool)):
                                raise Invalid
                        if "reviewed_before_ceasing" in data__process__cessation_keys:
                            data__process__cessation_keys.remove("reviewed_before_ceasing")
                            data__process__cessation__reviewedbeforeceasing = data__process__cessation["reviewed_before_ceasing"]
                            validate_https___nis_invalid_schemas_ehcp_schema_json___defs_date(data__process__cessation__reviewedbeforeceasing, custom_formats, (name_prefix or "data") + ".process.cessation.reviewed_before_ceasing")
                        if "wishes_to_return" in data__process__cessation_keys:
                            data__process__cessation_keys.remove("wishes_to_return")
                            data__process__cessation__wishestoreturn = data__process__cessation["wishes_to_return"]
                            if not isinstance(data__process__cessation__wishestoreturn, (bool)):
                                raise Invalid
                        if "return_appropriate" in data__process__cessation_keys:
                            data__process__cessation_keys.remove("return_appropriate")
                            data__process__cessation__returnappropriate = data__process__cessation["return_appropriate"]
                            if not isinstance(data__process__cessation__returnappropriate, (bool)):
                                raise Invalid
                        if "appeal_brought" in data__process__cessation_keys:
                            data__process__cessation_keys.remove("appeal_brought")
                            data__process__cessation__appealbrought = data__process__cessation["appeal_brought"]
                            if not isinstance(data__process__cessation__appealbrought, (bool)):
                                raise Invalid
                        if "mediation_certificate" in data__process__cessation_keys:
                            data__process__cessation_keys.remove("mediation_certificate")
                            data__process__cessation__mediationcertificate = data__process__cessation["mediation_certificate"]
                            validate_https___nis_invalid_schemas_ehcp_schema_json___defs_date(data__process__cessation__mediationcertificate, custom_formats, (name_prefix or "data") + ".process.cessation.mediation_certificate")
                        if "appeal_concluded" in data__process__cessation_keys:
                            data__process__cessation_keys.remove("appeal_concluded")
                            data__process__cessation__appealconcluded = data__process__cessation["appeal_concluded"]
                            validate_https___nis_invalid_schemas_ehcp_schema_json___defs_date(data__process__cessation__appealconcluded, custom_formats, (name_prefix or "data") + ".process.cessation.appeal_concluded")
                        if "ceased" in data__process__cessation_keys:
                            data__process__cessation_keys.remove("ceased")
                            data__process__cessation__ceased = data__process__cessation["ceased"]
                            validate_https___nis_invalid_schemas_ehcp_schema_json___defs_date(data__process__cessation__ceased, custom_formats, (name_prefix or "data") + ".process.cessation.ceased")
                        if data__process__cessation_keys:
                            raise Invalid
                if "exceptions" in data__process_keys:
                    data__process_keys.remove("exceptions")
                    data__process__exceptions = data__process["exceptions"]
                    if not isinstance(data__process__exceptions, (list, tuple)):
                        raise Invalid
                    data__process__exceptions_is_list = isinstance(data__process__exceptions, (list, tuple))
                    if data__process__exceptions_is_list:
                        data__process__exceptions_len = len(data__process__exceptions)
                        for data__process__exceptions_x, data__process__exceptions_item in enumerate(data__process__exceptions):
                            validate_https___nis_invalid_schemas_ehcp_schema_json___defs_time_limit_exception(data__process__exceptions_item, custom_formats, (name_prefix or "data") + ".process.exceptions[{data__process__exceptions_x}]")
                if data__process_keys:
                    raise Invalid
        if "specialist_provision_packages" in data_keys:
            data_keys.remove("specialist_provision_packages")
            data__specialistprovisionpackages = data["specialist_provision_packages"]
            if not isinstance(data__specialistprovisionpackages, (list, tuple)):
                raise Invalid
            data__specialistprovisionpackages_is_list = isinstance(data__specialistprovisionpackages, (list, tuple))
            if data__specialistprovisionpackages_is_list:
                data__specialistprovisionpackages_len = len(data__specialistprovisionpackages)
                for data__specialistprovisionpackages_x, data__specialistprovisionpackages_item in enumerate(data__specialistprovisionpackages):
                    if not isinstance(data__specialistprovisionpackages_item, (dict)):
                        raise Invalid
                    data__specialistprovisionpackages_item_is_dict = isinstance(data__specialistprovisionpackages_item, dict)
                    if data__specialistprovisionpackages_item_is_dict:
                        data__specialistprovisionpackages_item__missing_keys = set(['package']) - data__specialistprovisionpackages_item.keys()
                        if data__specialistprovisionpackages_item__missing_keys:
                            raise Invalid
                        data__specialistprovisionpackages_item_keys = set(data__specialistprovisionpackages_item.keys())
                        if "package" in data__specialistprovisionpackages_item_keys:
                            data__specialistprovisionpackages_item_keys.remove("package")
                            data__specialistprovisionpackages_item__package = data__specialistprovisionpackages_item["package"]
                            if not isinstance(data__specialistprovisionpackages_item__package, (str)):
                                raise Invalid
                            if isinstance(data__specialistprovisionpackages_item__package, str):
                                if not REGEX_PATTERNS['^[a-z][a-z0-9_]*$'].search(data__specialistprovisionpackages_item__package):
                                    raise Invalid
                        if "elements" in data__specialistprovisionpackages_item_keys:
                            data__specialistprovisionpackages_item_keys.remove("elements")
                            data__specialistprovisionpackages_item__elements = data__specialistprovisionpackages_item["elements"]
                            if not isinstance(data__specialistprovisionpackages_item__elements, (list, tuple)):
                                raise Invalid
                            data__specialistprovisionpackages_item__elements_is_list = isinstance(data__specialistprovisionpackages_item__elements, (list, tuple))
                            if data__specialistprovisionpackages_item__elements_is_list:
                                def fn(var): return frozenset(dict((k, fn(v)) for k, v in var.items()).items()) if hasattr(var, "items") else tuple(fn(v) for v in var) if isinstance(var, (dict, list)) else (bool, var) if isinstance(var, bool) else var
                                data__specialistprovisionpackages_item__elements_len = len(data__specialistprovisionpackages_item__elements)
                                if data__specialistprovisionpackages_item__elements_len > len(set(fn(data__specialistprovisionpackages_item__elements_x) for data__specialistprovisionpackages_item__elements_x in data__specialistprovisionpackages_item__elements)):
                                    raise Invalid
                                for data__specialistprovisionpackages_item__elements_x, data__specialistprovisionpackages_item__elements_item in enumerate(data__specialistprovisionpackages_item__elements):
                                    if not isinstance(data__specialistprovisionpackages_item__elements_item, (str)):
                                        raise Invalid
                                    if isinstance(data__specialistprovisionpackages_item__elements_item, str):
                                        data__specialistprovisionpackages_item__elements_item_len = len(data__specialistprovisionpackages_item__elements_item)
                                        if data__specialistprovisionpackages_item__elements_item_len < 1:
                                            raise Invalid
                        if "rationale" in data__specialistprovisionpackages_item_keys:
                            data__specialistprovisionpackages_item_keys.remove("rationale")
                            data__specialistprovisionpackages_item__rationale = data__specialistprovisionpackages_item["rationale"]
                            if not isinstance(data__specialistprovisionpackages_item__rationale, (str)):
                                raise Invalid
                        if data__specialistprovisionpackages_item_keys:
                            raise Invalid
        if "isp_ref" in data_keys:
            data_keys.remove("isp_ref")
            data__ispref = data["isp_ref"]
            if not isinstance(data__ispref, (str)):
                raise Invalid
            if isinstance(data__ispref, str):
                data__ispref_len = len(data__ispref)
                if data__ispref_len < 1:
                    raise Invalid
        if "evidence" in data_keys:
            data_keys.remove("evidence")
            data__evidence = data["evidence"]
            validate_https___nis_invalid_schemas_ehcp_schema_json___defs_evidence(data__evidence, custom_formats, (name_prefix or "data") + ".evidence")
        if "origin" in data_keys:
            data_keys.remove("origin")
            data__origin = data["origin"]
            if not isinstance(data__origin, (dict)):
                raise Invalid
            data__origin_is_dict = isinstance(data__origin, dict)
            if data__origin_is_dict:
                data__origin__missing_keys = set(['kind']) - data__origin.keys()
                if data__origin__missing_keys:
                    raise Invalid
                data__origin_keys = set(data__origin.keys())
                if "kind" in data__origin_keys:
                    data__origin_keys.remove("kind")
                    data__origin__kind = data__origin["kind"]
                    if not isinstance(data__origin__kind, (str)):
                        raise Invalid
                    if not (isinstance(data__origin__kind, str) and data__origin__kind == 'ehc_needs_assessment' or isinstance(data__origin__kind, str) and data__origin__kind == 'transferred_from_statement' or isinstance(data__origin__kind, str) and data__origin__kind == 'transferred_from_learning_difficulty_assessment' or isinstance(data__origin__kind, str) and data__origin__kind == 'reassessment' or isinstance(data__origin__kind, str) and data__origin__kind == 'transferred_from_another_authority'):
                        raise Invalid
                if "date" in data__origin_keys:
                    data__origin_keys.remove("date")
                    data__origin__date = data__origin["date"]
                    validate_https___nis_invalid_schemas_ehcp_schema_json___defs_date(data__origin__date, custom_formats, (name_prefix or "data") + ".origin.date")
                if "statement_date" in data__origin_keys:
                    data__origin_keys.remove("statement_date")
                    data__origin__statementdate = data__origin["statement_date"]
                    validate_https___nis_invalid_schemas_ehcp_schema_json___defs_date(data__origin__statementdate, custom_formats, (name_prefix or "data") + ".origin.statement_date")
                if "replaced_wording" in data__origin_keys:
                    data__origin_keys.remove("replaced_wording")
                    data__origin__replacedwording = data__origin["replaced_wording"]
                    if not isinstance(data__origin__replacedwording, (list, tuple)):
                        raise Invalid
                    data__origin__replacedwording_is_list = isinstance(data__origin__replacedwording, (list, tuple))
                    if data__origin__replacedwording_is_list:
                        data__origin__replacedwording_len = len(data__origin__replacedwording)
                        for data__origin__replacedwording_x, data__origin__replacedwording_item in enumerate(data__origin__replacedwording):
                            if not isinstance(data__origin__replacedwording_item, (dict)):
                                raise Invalid
                            data__origin__replacedwording_item_is_dict = isinstance(data__origin__replacedwording_item, dict)
                            if data__origin__replacedwording_item_is_dict:
                                data__origin__replacedwording_item__missing_keys = set(['wording']) - data__origin__replacedwording_item.keys()
                                if data__origin__replacedwording_item__missing_keys:
                                    raise Invalid
                                data__origin__replacedwording_item_keys = set(data__origin__replacedwording_item.keys())
                                if "part" in data__origin__replacedwording_item_keys:
                                    data__origin__replacedwording_item_keys.remove("part")
                                    data__origin__replacedwording_item__part = data__origin__replacedwording_item["part"]
                                    if not isinstance(data__origin__replacedwording_item__part, (str)):
                                        raise Invalid
                                    if isinstance(data__origin__replacedwording_item__part, str):
                                        data__origin__replacedwording_item__part_len = len(data__origin__replacedwording_item__part)
                                        if data__origin__replacedwording_item__part_len < 1:
                                            raise Invalid
                                if "wording" in data__origin__replacedwording_item_keys:
                                    data__origin__replacedwording_item_keys.remove("wording")
                                    data__origin__replacedwording_item__wording = data__origin__replacedwording_item["wording"]
                                    if not isinstance(data__origin__replacedwording_item__wording, (str)):
                                        raise Invalid
                                    if isinstance(data__origin__replacedwording_item__wording, str):
                                        data__origin__replacedwording_item__wording_len = len(data__origin__replacedwording_item__wording)
                                        if data__origin__replacedwording_item__wording_len < 1:
                                            raise Invalid
                                if data__origin__replacedwording_item_keys:
                                    raise Invalid
                if "note" in data__origin_keys:
                    data__origin_keys.remove("note")
                    data__origin__note = data__origin["note"]
                    if not isinstance(data__origin__note, (str)):
                        raise Invalid
                if data__origin_keys:
                    raise Invalid
        if "versions" in data_keys:
            data_keys.remove("versions")
            data__versions = data["versions"]
            if not isinstance(data__versions, (list, tuple)):
                raise Invalid
            data__versions_is_list = isinstance(data__versions, (list, tuple))
            if data__versions_is_list:
                data__versions_len = len(data__versions)
                for data__versions_x, data__versions_item in enumerate(data__versions):
                    if not isinstance(data__versions_item, (dict)):
                        raise Invalid
                    data__versions_item_is_dict = isinstance(data__versions_item, dict)
                    if data__versions_item_is_dict:
                        data__versions_item__missing_keys = set(['date']) - data__versions_item.keys()
                        if data__versions_item__missing_keys:
                            raise Invalid
                        data__versions_item_keys = set(data__versions_item.keys())
                        if "version" in data__versions_item_keys:
                            data__versions_item_keys.remove("version")
                            data__versions_item__version = data__versions_item["version"]
                            if not isinstance(data__versions_item__version, (str)):
                                raise Invalid
                            if isinstance(data__versions_item__version, str):
                                data__versions_item__version_len = len(data__versions_item__version)
                                if data__versions_item__version_len < 1:
                                    raise Invalid
                        if "date" in data__versions_item_keys:
                            data__versions_item_keys.remove("date")
                            data__versions_item__date = data__versions_item["date"]
                            validate_https___nis_invalid_schemas_ehcp_schema_json___defs_date(data__versions_item__date, custom_formats, (name_prefix or "data") + ".versions[{data__versions_x}].date")
                        if "status" in data__versions_item_keys:
                            data__versions_item_keys.remove("status")
                            data__versions_item__status = data__versions_item["status"]
                            if not isinstance(data__versions_item__status, (str)):
                                raise Invalid
                            if not (isinstance(data__versions_item__status, str) and data__versions_item__status == 'draft' or isinstance(data__versions_item__status, str) and data__versions_item__status == 'final' or isinstance(data__versions_item__status, str) and data__versions_item__status == 'amended_final' or isinstance(data__versions_item__status, str) and data__versions_item__status == 'ceased'):
                                raise Invalid
                        if "reason" in data__versions_item_keys:
                            data__versions_item_keys.remove("reason")
                            data__versions_item__reason = data__versions_item["reason"]
                            if not isinstance(data__versions_item__reason, (str)):
                                raise Invalid
                            if not (isinstance(data__versions_item__reason, str) and data__versions_item__reason == 'new_plan' or isinstance(data__versions_item__reason, str) and data__versions_item__reason == 'annual_review' or isinstance(data__versions_item__reason, str) and data__versions_item__reason == 'phase_transfer' or isinstance(data__versions_item__reason, str) and data__versions_item__reason == 'early_review' or isinstance(data__versions_item__reason, str) and data__versions_item__reason == 'reassessment' or isinstance(data__versions_item__reason, str) and data__versions_item__reason == 'tribunal_order' or isinstance(data__versions_item__reason, str) and data__versions_item__reason == 'correction' or isinstance(data__versions_item__reason, str) and data__versions_item__reason == 'other'):
                                raise Invalid
                        if "placement" in data__versions_item_keys:
                            data__versions_item_keys.remove("placement")
                            data__versions_item__placement = data__versions_item["placement"]
                            validate_https___nis_invalid_schemas_ehcp_schema_json___defs_placement(data__versions_item__placement, custom_formats, (name_prefix or "data") + ".versions[{data__versions_x}].placement")
                        if "note" in data__versions_item_keys:
                            data__versions_item_keys.remove("note")
                            data__versions_item__note = data__versions_item["note"]
                            if not isinstance(data__versions_item__note, (str)):
                                raise Invalid
                        if data__versions_item_keys:
                            raise Invalid
        if "monitoring" in data_keys:
            data_keys.remove("monitoring")
            data__monitoring = data["monitoring"]
            if not isinstance(data__monitoring, (dict)):
                raise Invalid
            data__monitoring_is_dict = isinstance(data__monitoring, dict)
            if data__monitoring_is_dict:
                data__monitoring_keys = set(data__monitoring.keys())
                if "arrangements" in data__monitoring_keys:
                    data__monitoring_keys.remove("arrangements")
                    data__monitoring__arrangements = data__monitoring["arrangements"]
                    if not isinstance(data__monitoring__arrangements, (str)):
                        raise Invalid
                    if isinstance(data__monitoring__arrangements, str):
                        data__monitoring__arrangements_len = len(data__monitoring__arrangements)
                        if data__monitoring__arrangements_len < 1:
                            raise Invalid
                if "responsible" in data__monitoring_keys:
                    data__monitoring_keys.remove("responsible")
                    data__monitoring__responsible = data__monitoring["responsible"]
                    if not isinstance(data__monitoring__responsible, (str)):
                        raise Invalid
                    if isinstance(data__monitoring__responsible, str):
                        data__monitoring__responsible_len = len(data__monitoring__responsible)
                        if data__monitoring__responsible_len < 1:
                            raise Invalid
                if "responsible_role" in data__monitoring_keys:
                    data__monitoring_keys.remove("responsible_role")
                    data__monitoring__responsiblerole = data__monitoring["responsible_role"]
                    validate_https___nis_invalid_schemas_ehcp_schema_json___defs_role(data__monitoring__responsiblerole, custom_formats, (name_prefix or "data") + ".monitoring.responsible_role")
                if data__monitoring_keys:
                    raise Invalid
        if data_keys:
            raise Invalid
    return data

def validate_https___nis_invalid_schemas_ehcp_schema_json___defs_evidence(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise Invalid
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data_keys = set(data.keys())
        if "need_levels" in data_keys:
            data_keys.remove("need_levels")
            data__needlevels = data["need_levels"]
            if not isinstance(data__needlevels, (list, tuple)):
                raise Invalid
            data__needlevels_is_list = isinstance(data__needlevels, (list, tuple))
            if data__needlevels_is_list:
                data__needlevels_len = len(data__needlevels)
                for data__needlevels_x, data__needlevels_item in enumerate(data__needlevels):
                    if not isinstance(data__needlevels_item, (dict)):
                        raise Invalid
                    data__needlevels_item_is_dict = isinstance(data__needlevels_item, dict)
                    if data__needlevels_item_is_dict:
                        data__needlevels_item__missing_keys = set(['area', 'level']) - data__needlevels_item.keys()
                        if data__needlevels_item__missing_keys:
                            raise Invalid
                        data__needlevels_item_keys = set(data__needlevels_item.keys())
                        if "area" in data__needlevels_item_keys:
                            data__needlevels_item_keys.remove("area")
                            data__needlevels_item__area = data__needlevels_item["area"]
                            validate_https___nis_invalid_schemas_ehcp_schema_json___defs_area(data__needlevels_item__area, custom_formats, (name_prefix or "data") + ".need_levels[{data__needlevels_x}].area")
                        if "level" in data__needlevels_item_keys:
                            data__needlevels_item_keys.remove("level")
                            data__needlevels_item__level = data__needlevels_item["level"]
                            if not isinstance(data__needlevels_item__level, (int)) and not (isinstance(data__needlevels_item__level, float) and data__needlevels_item__level.is_integer()) or isinstance(data__needlevels_item__level, bool):
                                raise Invalid
                            if isinstance(data__needlevels_item__level, (int, float, Decimal)) and not isinstance(data__needlevels_item__level, bool):
                                if data__needlevels_item__level < 0:
                                    raise Invalid
                                if data__needlevels_item__level > 4:
                                    raise Invalid
                        if "evidenced_by" in data__needlevels_item_keys:
                            data__needlevels_item_keys.remove("evidenced_by")
                            data__needlevels_item__evidencedby = data__needlevels_item["evidenced_by"]
                            validate_https___nis_invalid_schemas_ehcp_schema_json___defs_role(data__needlevels_item__evidencedby, custom_formats, (name_prefix or "data") + ".need_levels[{data__needlevels_x}].evidenced_by")
                        if "date" in data__needlevels_item_keys:
                            data__needlevels_item_keys.remove("date")
                            data__needlevels_item__date = data__needlevels_item["date"]
                            validate_https___nis_invalid_schemas_ehcp_schema_json___defs_date(data__needlevels_item__date, custom_formats, (name_prefix or "data") + ".need_levels[{data__needlevels_x}].date")
                        if data__needlevels_item_keys:
                            raise Invalid
        if "assessments" in data_keys:
            data_keys.remove("assessments")
            data__assessments = data["assessments"]
            if not isinstance(data__assessments, (list, tuple)):
                raise Invalid
            data__assessments_is_list = isinstance(data__assessments, (list, tuple))
            if data__assessments_is_list:
                data__assessments_len = len(data__assessments)
                for data__assessments_x, data__assessments_item in enumerate(data__assessments):
                    if not isinstance(data__assessments_item, (dict)):
                        raise Invalid
                    data__assessments_item_is_dict = isinstance(data__assessments_item, dict)
                    if data__assessments_item_is_dict:
                        data__assessments_item__missing_keys = set(['name']) - data__assessments_item.keys()
                        if data__assessments_item__missing_keys:
                            raise Invalid
                        data__assessments_item_keys = set(data__assessments_item.keys())
                        if "name" in data__assessments_item_keys:
                            data__assessments_item_keys.remove("name")
                            data__assessments_item__name = data__assessments_item["name"]
                            if not isinstance(data__assessments_item__name, (str)):
                                raise Invalid
                            if isinstance(data__assessments_item__name, str):
                                data__assessments_item__name_len = len(data__assessments_item__name)
                                if data__assessments_item__name_len < 1:
                                    raise Invalid
                        if "standard_score" in data__assessments_item_keys:
                            data__assessments_item_keys.remove("standard_score")
                            data__assessments_item__standardscore = data__assessments_item["standard_score"]
                            if not isinstance(data__assessments_item__standardscore, (int)) and not (isinstance(data__assessments_item__standardscore, float) and data__assessments_item__standardscore.is_integer()) or isinstance(data__assessments_item__standardscore, bool):
                                raise Invalid
                            if isinstance(data__assessments_item__standardscore, (int, float, Decimal)) and not isinstance(data__assessments_item__standardscore, bool):
                                if data__assessments_item__standardscore < 0:
                                    raise Invalid
                                if data__assessments_item__standardscore > 200:
                                    raise Invalid
                        if "percentile" in data__assessments_item_keys:
                            data__assessments_item_keys.remove("percentile")
                            data__assessments_item__percentile = data__assessments_item["percentile"]
                            if not isinstance(data__assessments_item__percentile, (int, float, Decimal)) or isinstance(data__assessments_item__percentile, bool):
                                raise Invalid
                            if isinstance(data__assessments_item__percentile, (int, float, Decimal)) and not isinstance(data__assessments_item__percentile, bool):
                                if data__assessments_item__percentile < 0:
                                    raise Invalid
                                if data__assessments_item__percentile > 100:
                                    raise Invalid
                        if "date" in data__assessments_item_keys:
                            data__assessments_item_keys.remove("date")
                            data__assessments_item__date = data__assessments_item["date"]
                            validate_https___nis_invalid_schemas_ehcp_schema_json___defs_date(data__assessments_item__date, custom_formats, (name_prefix or "data") + ".assessments[{data__assessments_x}].date")
                        if "assessor_role" in data__assessments_item_keys:
                            data__assessments_item_keys.remove("assessor_role")
                            data__assessments_item__assessorrole = data__assessments_item["assessor_role"]
                            validate_https___nis_invalid_schemas_ehcp_schema_json___defs_role(data__assessments_item__assessorrole, custom_formats, (name_prefix or "data") + ".assessments[{data__assessments_x}].assessor_role")
                        if data__assessments_item_keys:
                            raise Invalid
        if "adult_support" in data_keys:
            data_keys.remove("adult_support")
            data__adultsupport = data["adult_support"]
            if not isinstance(data__adultsupport, (dict)):
                raise Invalid
            data__adultsupport_is_dict = isinstance(data__adultsupport, dict)
            if data__adultsupport_is_dict:
                data__adultsupport_keys = set(data__adultsupport.keys())
                if "hours_per_week" in data__adultsupport_keys:
                    data__adultsupport_keys.remove("hours_per_week")
                    data__adultsupport__hoursperweek = data__adultsupport["hours_per_week"]
                    if not isinstance(data__adultsupport__hoursperweek, (int, float, Decimal)) or isinstance(data__adultsupport__hoursperweek, bool):
                        raise Invalid
                    if isinstance(data__adultsupport__hoursperweek, (int, float, Decimal)) and not isinstance(data__adultsupport__hoursperweek, bool):
                        if data__adultsupport__hoursperweek < 0:
                            raise Invalid
                        if data__adultsupport__hoursperweek > 168:
                            raise Invalid
                if "ratio" in data__adultsupport_keys:
                    data__adultsupport_keys.remove("ratio")
                    data__adultsupport__ratio = data__adultsupport["ratio"]
                    validate_https___nis_invalid_schemas_ehcp_schema_json___defs_ratio(data__adultsupport__ratio, custom_formats, (name_prefix or "data") + ".adult_support.ratio")
                if "evidenced_by" in data__adultsupport_keys:
                    data__adultsupport_keys.remove("evidenced_by")
                    data__adultsupport__evidencedby = data__adultsupport["evidenced_by"]
                    validate_https___nis_invalid_schemas_ehcp_schema_json___defs_role(data__adultsupport__evidencedby, custom_formats, (name_prefix or "data") + ".adult_support.evidenced_by")
                if "date" in data__adultsupport_keys:
                    data__adultsupport_keys.remove("date")
                    data__adultsupport__date = data__adultsupport["date"]
                    validate_https___nis_invalid_schemas_ehcp_schema_json___defs_date(data__adultsupport__date, custom_formats, (name_prefix or "data") + ".adult_support.date")
                if data__adultsupport_keys:
                    raise Invalid
        if "personal_care" in data_keys:
            data_keys.remove("personal_care")
            data__personalcare = data["personal_care"]
            if not isinstance(data__personalcare, (dict)):
                raise Invalid
            data__personalcare_is_dict = isinstance(data__personalcare, dict)
            if data__personalcare_is_dict:
                data__personalcare_keys = set(data__personalcare.keys())
                if "needed" in data__personalcare_keys:
                    data__personalcare_keys.remove("needed")
                    data__personalcare__needed = data__personalcare["needed"]
                    if not isinstance(data__personalcare__needed, (bool)):
                        raise Invalid
                if "level" in data__personalcare_keys:
                    data__personalcare_keys.remove("level")
                    data__personalcare__level = data__personalcare["level"]
                    if not isinstance(data__personalcare__level, (str)):
                        raise Invalid
                    if not (isinstance(data__personalcare__level, str) and data__personalcare__level == 'none' or isinstance(data__personalcare__level, str) and data__personalcare__level == 'some' or isinstance(data__personalcare__level, str) and data__personalcare__level == 'substantial' or isinstance(data__personalcare__level, str) and data__personalcare__level == 'full'):
                        raise Invalid
                if "evidenced_by" in data__personalcare_keys:
                    data__personalcare_keys.remove("evidenced_by")
                    data__personalcare__evidencedby = data__personalcare["evidenced_by"]
                    validate_https___nis_invalid_schemas_ehcp_schema_json___defs_role(data__personalcare__evidencedby, custom_formats, (name_prefix or "data") + ".personal_care.evidenced_by")
                if "date" in data__personalcare_keys:
                    data__personalcare_keys.remove("date")
                    data__personalcare__date = data__personalcare["date"]
                    validate_https___nis_invalid_schemas_ehcp_schema_json___defs_date(data__personalcare__date, custom_formats, (name_prefix or "data") + ".personal_care.date")
                if data__personalcare_keys:
                    raise Invalid
        if "health_needs" in data_keys:
            data_keys.remove("health_needs")
            data__healthneeds = data["health_needs"]
            if not isinstance(data__healthneeds, (list, tuple)):
                raise Invalid
            data__healthneeds_is_list = isinstance(data__healthneeds, (list, tuple))
            if data__healthneeds_is_list:
                data__healthneeds_len = len(data__healthneeds)
                for data__healthneeds_x, data__healthneeds_item in enumerate(data__healthneeds):
                    if not isinstance(data__healthneeds_item, (dict)):
                        raise Invalid
                    data__healthneeds_item_is_dict = isinstance(data__healthneeds_item, dict)
                    if data__healthneeds_item_is_dict:
                        data__healthneeds_item__missing_keys = set(['description']) - data__healthneeds_item.keys()
                        if data__healthneeds_item__missing_keys:
                            raise Invalid
                        data__healthneeds_item_keys = set(data__healthneeds_item.keys())
                        if "description" in data__healthneeds_item_keys:
                            data__healthneeds_item_keys.remove("description")
                            data__healthneeds_item__description = data__healthneeds_item["description"]
                            if not isinstance(data__healthneeds_item__description, (str)):
                                raise Invalid
                            if isinstance(data__healthneeds_item__description, str):
                                data__healthneeds_item__description_len = len(data__healthneeds_item__description)
                                if data__healthneeds_item__description_len < 1:
                                    raise Invalid
                        if "condition" in data__healthneeds_item_keys:
                            data__healthneeds_item_keys.remove("condition")
                            data__healthneeds_item__condition = data__healthneeds_item["condition"]
                            if not isinstance(data__healthneeds_item__condition, (str)):
                                raise Invalid
                            if isinstance(data__healthneeds_item__condition, str):
                                data__healthneeds_item__condition_len = len(data__healthneeds_item__condition)
                                if data__healthneeds_item__condition_len < 1:
                                    raise Invalid
                        if "evidenced_by" in data__healthneeds_item_keys:
                            data__healthneeds_item_keys.remove("evidenced_by")
                            data__healthneeds_item__evidencedby = data__healthneeds_item["evidenced_by"]
                            validate_https___nis_invalid_schemas_ehcp_schema_json___defs_role(data__healthneeds_item__evidencedby, custom_formats, (name_prefix or "data") + ".health_needs[{data__healthneeds_x}].evidenced_by")
                        if "date" in data__healthneeds_item_keys:
                            data__healthneeds_item_keys.remove("date")
                            data__healthneeds_item__date = data__healthneeds_item["date"]
                            validate_https___nis_invalid_schemas_ehcp_schema_json___defs_date(data__healthneeds_item__date, custom_formats, (name_prefix or "data") + ".health_needs[{data__healthneeds_x}].date")
                        if data__healthneeds_item_keys:
                            raise Invalid
        if "communication_level" in data_keys:
            data_keys.remove("communication_level")
            data__communicationlevel = data["communication_level"]
            if not isinstance(data__communicationlevel, (str)):
                raise Invalid
            if not (isinstance(data__communicationlevel, str) and data__communicationlevel == 'verbal' or isinstance(data__communicationlevel, str) and data__communicationlevel == 'limited_verbal' or isinstance(data__communicationlevel, str) and data__communicationlevel == 'pre_verbal' or isinstance(data__communicationlevel, str) and data__communicationlevel == 'non_verbal'):
                raise Invalid
        if "cognitive_profile" in data_keys:
            data_keys.remove("cognitive_profile")
            data__cognitiveprofile = data["cognitive_profile"]
            if not isinstance(data__cognitiveprofile, (str)):
                raise Invalid
            if not (isinstance(data__cognitiveprofile, str) and data__cognitiveprofile == 'typical' or isinstance(data__cognitiveprofile, str) and data__cognitiveprofile == 'mild' or isinstance(data__cognitiveprofile, str) and data__cognitiveprofile == 'moderate' or isinstance(data__cognitiveprofile, str) and data__cognitiveprofile == 'severe' or isinstance(data__cognitiveprofile, str) and data__cognitiveprofile == 'profound'):
                raise Invalid
        if data_keys:
            raise Invalid
    return data

def validate_https___nis_invalid_schemas_ehcp_schema_json___defs_ratio(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (str)):
        raise Invalid
    if isinstance(data, str):
        if not REGEX_PATTERNS['^[1-9][0-9]?:[1-9][0-9]?$'].search(data):
            raise Invalid
    return data

def validate_https___nis_invalid_schemas_ehcp_schema_json___defs_time_limit_exception(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise Invalid
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data_keys = set(data.keys())
        if "regulation" in data_keys:
            data_keys.remove("regulation")
            data__regulation = data["regulation"]
            if not isinstance(data__regulation, (str)):
                raise Invalid
            if isinstance(data__regulation, str):
                if not REGEX_PATTERNS['^[0-9]+\\([0-9]+\\)(\\([a-z]\\))?$'].search(data__regulation):
                    raise Invalid
        if "kind" in data_keys:
            data_keys.remove("kind")
            data__kind = data["kind"]
            if not isinstance(data__kind, (str)):
                raise Invalid
            if not (isinstance(data__kind, str) and data__kind == 'school_closure' or isinstance(data__kind, str) and data__kind == 'early_years_closure' or isinstance(data__kind, str) and data__kind == 'exceptional_personal_circumstances' or isinstance(data__kind, str) and data__kind == 'absence_from_area' or isinstance(data__kind, str) and data__kind == 'failed_appointment' or isinstance(data__kind, str) and data__kind == 'school_holiday' or isinstance(data__kind, str) and data__kind == 'child_absent'):
                raise Invalid
        if "limit" in data_keys:
            data_keys.remove("limit")
            data__limit = data["limit"]
            if not isinstance(data__limit, (str)):
                raise Invalid
            if not (isinstance(data__limit, str) and data__limit == 'decision_to_assess' or isinstance(data__limit, str) and data__limit == 'decision_not_to_issue' or isinstance(data__limit, str) and data__limit == 'final_plan'):
                raise Invalid
        if "from" in data_keys:
            data_keys.remove("from")
            data__from = data["from"]
            validate_https___nis_invalid_schemas_ehcp_schema_json___defs_date(data__from, custom_formats, (name_prefix or "data") + ".from")
        if "to" in data_keys:
            data_keys.remove("to")
            data__to = data["to"]
            validate_https___nis_invalid_schemas_ehcp_schema_json___defs_date(data__to, custom_formats, (name_prefix or "data") + ".to")
        if "advice_requested" in data_keys:
            data_keys.remove("advice_requested")
            data__advicerequested = data["advice_requested"]
            validate_https___nis_invalid_schemas_ehcp_schema_json___defs_date(data__advicerequested, custom_formats, (name_prefix or "data") + ".advice_requested")
        if "family_told" in data_keys:
            data_keys.remove("family_told")
            data__familytold = data["family_told"]
            if not isinstance(data__familytold, (bool)):
                raise Invalid
        if "note" in data_keys:
            data_keys.remove("note")
            data__note = data["note"]
            if not isinstance(data__note, (str)):
                raise Invalid
        if data_keys:
            raise Invalid
    return data

def validate_https___nis_invalid_schemas_ehcp_schema_json___defs_decision_notice(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise Invalid
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data_keys = set(data.keys())
        if "sent" in data_keys:
            data_keys.remove("sent")
            data__sent = data["sent"]
            validate_https___nis_invalid_schemas_ehcp_schema_json___defs_date(data__sent, custom_formats, (name_prefix or "data") + ".sent")
        if "right_of_appeal" in data_keys:
            data_keys.remove("right_of_appeal")
            data__rightofappeal = data["right_of_appeal"]
            if not isinstance(data__rightofappeal, (bool)):
                raise Invalid
        if "appeal_time_limit" in data_keys:
            data_keys.remove("appeal_time_limit")
            data__appealtimelimit = data["appeal_time_limit"]
            if not isinstance(data__appealtimelimit, (bool)):
                raise Invalid
        if "mediation" in data_keys:
            data_keys.remove("mediation")
            data__mediation = data["mediation"]
            if not isinstance(data__mediation, (bool)):
                raise Invalid
        if "disagreement_resolution" in data_keys:
            data_keys.remove("disagreement_resolution")
            data__disagreementresolution = data["disagreement_resolution"]
            if not isinstance(data__disagreementresolution, (bool)):
                raise Invalid
        if "information_and_advice" in data_keys:
            data_keys.remove("information_and_advice")
            data__informationandadvice = data["information_and_advice"]
            if not isinstance(data__informationandadvice, (bool)):
                raise Invalid
        if data_keys:
            raise Invalid
    return data

def validate_https___nis_invalid_schemas_ehcp_schema_json___defs_role(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (str)):
        raise Invalid
    if not (isinstance(data, str) and data == 'parent' or isinstance(data, str) and data == 'carer' or isinstance(data, str) and data == 'young_person' or isinstance(data, str) and data == 'senco' or isinstance(data, str) and data == 'class_teacher' or isinstance(data, str) and data == 'teaching_assistant' or isinstance(data, str) and data == 'head_teacher' or isinstance(data, str) and data == 'personal_assistant' or isinstance(data, str) and data == 'care_worker' or isinstance(data, str) and data == 'local_authority_officer' or isinstance(data, str) and data == 'educational_psychologist' or isinstance(data, str) and data == 'speech_and_language_therapist' or isinstance(data, str) and data == 'occupational_therapist' or isinstance(data, str) and data == 'physiotherapist' or isinstance(data, str) and data == 'camhs_clinician' or isinstance(data, str) and data == 'paediatrician' or isinstance(data, str) and data == 'specialist_teacher' or isinstance(data, str) and data == 'teacher_of_the_deaf' or isinstance(data, str) and data == 'qualified_teacher_of_vision_impairment' or isinstance(data, str) and data == 'audiologist' or isinstance(data, str) and data == 'clinical_psychologist' or isinstance(data, str) and data == 'psychiatrist' or isinstance(data, str) and data == 'school_nurse' or isinstance(data, str) and data == 'specialist_nurse' or isinstance(data, str) and data == 'health_visitor' or isinstance(data, str) and data == 'dietitian' or isinstance(data, str) and data == 'social_worker' or isinstance(data, str) and data == 'portage_worker' or isinstance(data, str) and data == 'careers_adviser' or isinstance(data, str) and data == 'other_professional'):
        raise Invalid
    return data

def validate_https___nis_invalid_schemas_ehcp_schema_json___defs_placement(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise Invalid
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data_keys = set(data.keys())
        if "name" in data_keys:
            data_keys.remove("name")
            data__name = data["name"]
            if not isinstance(data__name, (str)):
                raise Invalid
            if isinstance(data__name, str):
                data__name_len = len(data__name)
                if data__name_len < 1:
                    raise Invalid
        if "urn" in data_keys:
            data_keys.remove("urn")
            data__urn = data["urn"]
            if not isinstance(data__urn, (str)):
                raise Invalid
            if isinstance(data__urn, str):
                data__urn_len = len(data__urn)
                if data__urn_len > 6:
                    raise Invalid
                if not REGEX_PATTERNS['^[0-9]{6}$'].search(data__urn):
                    raise Invalid
        if "type" in data_keys:
            data_keys.remove("type")
            data__type = data["type"]
            if not isinstance(data__type, (str)):
                raise Invalid
            if not (isinstance(data__type, str) and data__type == 'mainstream' or isinstance(data__type, str) and data__type == 'special' or isinstance(data__type, str) and data__type == 'ap' or isinstance(data__type, str) and data__type == 'post16' or isinstance(data__type, str) and data__type == 'independent' or isinstance(data__type, str) and data__type == 'other'):
                raise Invalid
        if "category" in data_keys:
            data_keys.remove("category")
            data__category = data["category"]
            validate_https___nis_invalid_schemas_ehcp_schema_json___defs_institution_category(data__category, custom_formats, (name_prefix or "data") + ".category")
        if "base" in data_keys:
            data_keys.remove("base")
            data__base = data["base"]
            validate_https___nis_invalid_schemas_ehcp_schema_json___defs_specialist_base(data__base, custom_formats, (name_prefix or "data") + ".base")
        if data_keys:
            raise Invalid
    return data

def validate_https___nis_invalid_schemas_ehcp_schema_json___defs_specialist_base(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise Invalid
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['kind']) - data.keys()
        if data__missing_keys:
            raise Invalid
        data_keys = set(data.keys())
        if "kind" in data_keys:
            data_keys.remove("kind")
            data__kind = data["kind"]
            if not isinstance(data__kind, (str)):
                raise Invalid
            if not (isinstance(data__kind, str) and data__kind == 'resourced_provision' or isinstance(data__kind, str) and data__kind == 'unit' or isinstance(data__kind, str) and data__kind == 'inclusion_base'):
                raise Invalid
        if "name" in data_keys:
            data_keys.remove("name")
            data__name = data["name"]
            if not isinstance(data__name, (str)):
                raise Invalid
            if isinstance(data__name, str):
                data__name_len = len(data__name)
                if data__name_len < 1:
                    raise Invalid
        if "designation" in data_keys:
            data_keys.remove("designation")
            data__designation = data["designation"]
            if not isinstance(data__designation, (str)):
                raise Invalid
            if isinstance(data__designation, str):
                data__designation_len = len(data__designation)
                if data__designation_len < 1:
                    raise Invalid
        if data_keys:
            raise Invalid
    return data

def validate_https___nis_invalid_schemas_ehcp_schema_json___defs_institution_category(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (str)):
        raise Invalid
    if not (isinstance(data, str) and data == 'maintained_school' or isinstance(data, str) and data == 'maintained_nursery_school' or isinstance(data, str) and data == 'academy_school' or isinstance(data, str) and data == 'alternative_provision_academy' or isinstance(data, str) and data == 'sixteen_to_nineteen_academy' or isinstance(data, str) and data == 'pupil_referral_unit' or isinstance(data, str) and data == 'further_education_institution' or isinstance(data, str) and data == 'non_maintained_special_school' or isinstance(data, str) and data == 'section_41_approved_institution' or isinstance(data, str) and data == 'independent_school' or isinstance(data, str) and data == 'early_years_provider' or isinstance(data, str) and data == 'other'):
        raise Invalid
    return data

def validate_https___nis_invalid_schemas_ehcp_schema_json___defs_provision_section(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise Invalid
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data_keys = set(data.keys())
        if "provision" in data_keys:
            data_keys.remove("provision")
            data__provision = data["provision"]
            if not isinstance(data__provision, (list, tuple)):
                raise Invalid
            data__provision_is_list = isinstance(data__provision, (list, tuple))
            if data__provision_is_list:
                data__provision_len = len(data__provision)
                for data__provision_x, data__provision_item in enumerate(data__provision):
                    validate_https___nis_invalid_schemas_ehcp_schema_json___defs_plan_provision(data__provision_item, custom_formats, (name_prefix or "data") + ".provision[{data__provision_x}]")
        if data_keys:
            raise Invalid
    return data

def validate_https___nis_invalid_schemas_ehcp_schema_json___defs_plan_provision(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise Invalid
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['id', 'description']) - data.keys()
        if data__missing_keys:
            raise Invalid
        data_keys = set(data.keys())
        if "id" in data_keys:
            data_keys.remove("id")
            data__id = data["id"]
            if not isinstance(data__id, (str)):
                raise Invalid
            if isinstance(data__id, str):
                data__id_len = len(data__id)
                if data__id_len < 1:
                    raise Invalid
        if "need_ids" in data_keys:
            data_keys.remove("need_ids")
            data__needids = data["need_ids"]
            if not isinstance(data__needids, (list, tuple)):
                raise Invalid
            data__needids_is_list = isinstance(data__needids, (list, tuple))
            if data__needids_is_list:
                def fn(var): return frozenset(dict((k, fn(v)) for k, v in var.items()).items()) if hasattr(var, "items") else tuple(fn(v) for v in var) if isinstance(var, (dict, list)) else (bool, var) if isinstance(var, bool) else var
                data__needids_len = len(data__needids)
                if data__needids_len > len(set(fn(data__needids_x) for data__needids_x in data__needids)):
                    raise Invalid
                for data__needids_x, data__needids_item in enumerate(data__needids):
                    if not isinstance(data__needids_item, (str)):
                        raise Invalid
                    if isinstance(data__needids_item, str):
                        data__needids_item_len = len(data__needids_item)
                        if data__needids_item_len < 1:
                            raise Invalid
        if "outcome_ids" in data_keys:
            data_keys.remove("outcome_ids")
            data__outcomeids = data["outcome_ids"]
            if not isinstance(data__outcomeids, (list, tuple)):
                raise Invalid
            data__outcomeids_is_list = isinstance(data__outcomeids, (list, tuple))
            if data__outcomeids_is_list:
                def fn(var): return frozenset(dict((k, fn(v)) for k, v in var.items()).items()) if hasattr(var, "items") else tuple(fn(v) for v in var) if isinstance(var, (dict, list)) else (bool, var) if isinstance(var, bool) else var
                data__outcomeids_len = len(data__outcomeids)
                if data__outcomeids_len > len(set(fn(data__outcomeids_x) for data__outcomeids_x in data__outcomeids)):
                    raise Invalid
                for data__outcomeids_x, data__outcomeids_item in enumerate(data__outcomeids):
                    if not isinstance(data__outcomeids_item, (str)):
                        raise Invalid
                    if isinstance(data__outcomeids_item, str):
                        data__outcomeids_item_len = len(data__outcomeids_item)
                        if data__outcomeids_item_len < 1:
                            raise Invalid
        if "description" in data_keys:
            data_keys.remove("description")
            data__description = data["description"]
            if not isinstance(data__description, (str)):
                raise Invalid
            if isinstance(data__description, str):
                data__description_len = len(data__description)
                if data__description_len < 1:
                    raise Invalid
        if "provider_role" in data_keys:
            data_keys.remove("provider_role")
            data__providerrole = data["provider_role"]
            validate_https___nis_invalid_schemas_ehcp_schema_json___defs_role(data__providerrole, custom_formats, (name_prefix or "data") + ".provider_role")
        if "providers" in data_keys:
            data_keys.remove("providers")
            data__providers = data["providers"]
            if not isinstance(data__providers, (list, tuple)):
                raise Invalid
            data__providers_is_list = isinstance(data__providers, (list, tuple))
            if data__providers_is_list:
                data__providers_len = len(data__providers)
                for data__providers_x, data__providers_item in enumerate(data__providers):
                    validate_https___nis_invalid_schemas_ehcp_schema_json___defs_plan_provider(data__providers_item, custom_formats, (name_prefix or "data") + ".providers[{data__providers_x}]")
        if "quantity" in data_keys:
            data_keys.remove("quantity")
            data__quantity = data["quantity"]
            validate_https___nis_invalid_schemas_ehcp_schema_json___defs_quantity(data__quantity, custom_formats, (name_prefix or "data") + ".quantity")
        if "frequency" in data_keys:
            data_keys.remove("frequency")
            data__frequency = data["frequency"]
            if not isinstance(data__frequency, (str)):
                raise Invalid
        if "educates_or_trains" in data_keys:
            data_keys.remove("educates_or_trains")
            data__educatesortrains = data["educates_or_trains"]
            if not isinstance(data__educatesortrains, (bool)):
                raise Invalid
        if "preparing_for_adulthood" in data_keys:
            data_keys.remove("preparing_for_adulthood")
            data__preparingforadulthood = data["preparing_for_adulthood"]
            if not isinstance(data__preparingforadulthood, (bool)):
                raise Invalid
        if data_keys:
            raise Invalid
    return data

def validate_https___nis_invalid_schemas_ehcp_schema_json___defs_quantity(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise Invalid
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data_keys = set(data.keys())
        if "hours_per_week" in data_keys:
            data_keys.remove("hours_per_week")
            data__hoursperweek = data["hours_per_week"]
            if not isinstance(data__hoursperweek, (int, float, Decimal)) or isinstance(data__hoursperweek, bool):
                raise Invalid
            if isinstance(data__hoursperweek, (int, float, Decimal)) and not isinstance(data__hoursperweek, bool):
                if data__hoursperweek < 0:
                    raise Invalid
                if data__hoursperweek > 168:
                    raise Invalid
        if "minutes_per_session" in data_keys:
            data_keys.remove("minutes_per_session")
            data__minutespersession = data["minutes_per_session"]
            if not isinstance(data__minutespersession, (int, float, Decimal)) or isinstance(data__minutespersession, bool):
                raise Invalid
            if isinstance(data__minutespersession, (int, float, Decimal)) and not isinstance(data__minutespersession, bool):
                if data__minutespersession < 0:
                    raise Invalid
                if data__minutespersession > 1440:
                    raise Invalid
        if "sessions_per_week" in data_keys:
            data_keys.remove("sessions_per_week")
            data__sessionsperweek = data["sessions_per_week"]
            if not isinstance(data__sessionsperweek, (int)) and not (isinstance(data__sessionsperweek, float) and data__sessionsperweek.is_integer()) or isinstance(data__sessionsperweek, bool):
                raise Invalid
            if isinstance(data__sessionsperweek, (int, float, Decimal)) and not isinstance(data__sessionsperweek, bool):
                if data__sessionsperweek < 0:
                    raise Invalid
                if data__sessionsperweek > 100:
                    raise Invalid
        if "weeks_per_year" in data_keys:
            data_keys.remove("weeks_per_year")
            data__weeksperyear = data["weeks_per_year"]
            if not isinstance(data__weeksperyear, (int)) and not (isinstance(data__weeksperyear, float) and data__weeksperyear.is_integer()) or isinstance(data__weeksperyear, bool):
                raise Invalid
            if isinstance(data__weeksperyear, (int, float, Decimal)) and not isinstance(data__weeksperyear, bool):
                if data__weeksperyear < 0:
                    raise Invalid
                if data__weeksperyear > 52:
                    raise Invalid
        if "sessions_per_term" in data_keys:
            data_keys.remove("sessions_per_term")
            data__sessionsperterm = data["sessions_per_term"]
            if not isinstance(data__sessionsperterm, (int)) and not (isinstance(data__sessionsperterm, float) and data__sessionsperterm.is_integer()) or isinstance(data__sessionsperterm, bool):
                raise Invalid
            if isinstance(data__sessionsperterm, (int, float, Decimal)) and not isinstance(data__sessionsperterm, bool):
                if data__sessionsperterm < 0:
                    raise Invalid
                if data__sessionsperterm > 200:
                    raise Invalid
        if "sessions_per_year" in data_keys:
            data_keys.remove("sessions_per_year")
            data__sessionsperyear = data["sessions_per_year"]
            if not isinstance(data__sessionsperyear, (int)) and not (isinstance(data__sessionsperyear, float) and data__sessionsperyear.is_integer()) or isinstance(data__sessionsperyear, bool):
                raise Invalid
            if isinstance(data__sessionsperyear, (int, float, Decimal)) and not isinstance(data__sessionsperyear, bool):
                if data__sessionsperyear < 0:
                    raise Invalid
                if data__sessionsperyear > 1000:
                    raise Invalid
        if "group_size" in data_keys:
            data_keys.remove("group_size")
            data__groupsize = data["group_size"]
            if not isinstance(data__groupsize, (int)) and not (isinstance(data__groupsize, float) and data__groupsize.is_integer()) or isinstance(data__groupsize, bool):
                raise Invalid
            if isinstance(data__groupsize, (int, float, Decimal)) and not isinstance(data__groupsize, bool):
                if data__groupsize < 1:
                    raise Invalid
                if data__groupsize > 40:
                    raise Invalid
        if "ratio" in data_keys:
            data_keys.remove("ratio")
            data__ratio = data["ratio"]
            validate_https___nis_invalid_schemas_ehcp_schema_json___defs_ratio(data__ratio, custom_formats, (name_prefix or "data") + ".ratio")
        if "at_least" in data_keys:
            data_keys.remove("at_least")
            data__atleast = data["at_least"]
            if not isinstance(data__atleast, (bool)):
                raise Invalid
        if data_keys:
            raise Invalid
    return data

def validate_https___nis_invalid_schemas_ehcp_schema_json___defs_plan_provider(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise Invalid
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data_keys = set(data.keys())
        if "role" in data_keys:
            data_keys.remove("role")
            data__role = data["role"]
            validate_https___nis_invalid_schemas_ehcp_schema_json___defs_role(data__role, custom_formats, (name_prefix or "data") + ".role")
        if "description" in data_keys:
            data_keys.remove("description")
            data__description = data["description"]
            if not isinstance(data__description, (str)):
                raise Invalid
            if isinstance(data__description, str):
                data__description_len = len(data__description)
                if data__description_len < 1:
                    raise Invalid
        if "training" in data_keys:
            data_keys.remove("training")
            data__training = data["training"]
            if not isinstance(data__training, (str)):
                raise Invalid
            if isinstance(data__training, str):
                data__training_len = len(data__training)
                if data__training_len < 1:
                    raise Invalid
        if "experience" in data_keys:
            data_keys.remove("experience")
            data__experience = data["experience"]
            if not isinstance(data__experience, (str)):
                raise Invalid
            if isinstance(data__experience, str):
                data__experience_len = len(data__experience)
                if data__experience_len < 1:
                    raise Invalid
        if "qualification" in data_keys:
            data_keys.remove("qualification")
            data__qualification = data["qualification"]
            if not isinstance(data__qualification, (str)):
                raise Invalid
            if isinstance(data__qualification, str):
                data__qualification_len = len(data__qualification)
                if data__qualification_len < 1:
                    raise Invalid
        if data_keys:
            raise Invalid
    return data

def validate_https___nis_invalid_schemas_ehcp_schema_json___defs_area(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (str)):
        raise Invalid
    if not (isinstance(data, str) and data == 'communication_and_interaction' or isinstance(data, str) and data == 'cognition_and_learning' or isinstance(data, str) and data == 'social_emotional_mental_health' or isinstance(data, str) and data == 'sensory_and_physical'):
        raise Invalid
    return data

def validate_https___nis_invalid_schemas_ehcp_schema_json___defs_date(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (str)):
        raise Invalid
    if isinstance(data, str):
        if not custom_formats["date"](data):
            raise Invalid
    return data

def validate_https___nis_invalid_schemas_ehcp_schema_json___defs_phase(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (str)):
        raise Invalid
    if not (isinstance(data, str) and data == 'early_years' or isinstance(data, str) and data == 'primary' or isinstance(data, str) and data == 'secondary' or isinstance(data, str) and data == 'post16'):
        raise Invalid
    return data

def validate_https___nis_invalid_schemas_ehcp_schema_json___defs_setting(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise Invalid
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['phase', 'type']) - data.keys()
        if data__missing_keys:
            raise Invalid
        data_keys = set(data.keys())
        if "urn" in data_keys:
            data_keys.remove("urn")
            data__urn = data["urn"]
            if not isinstance(data__urn, (str)):
                raise Invalid
            if isinstance(data__urn, str):
                data__urn_len = len(data__urn)
                if data__urn_len > 6:
                    raise Invalid
                if not REGEX_PATTERNS['^[0-9]{6}$'].search(data__urn):
                    raise Invalid
        if "phase" in data_keys:
            data_keys.remove("phase")
            data__phase = data["phase"]
            validate_https___nis_invalid_schemas_ehcp_schema_json___defs_phase(data__phase, custom_formats, (name_prefix or "data") + ".phase")
        if "type" in data_keys:
            data_keys.remove("type")
            data__type = data["type"]
            validate_https___nis_invalid_schemas_ehcp_schema_json___defs_setting_type(data__type, custom_formats, (name_prefix or "data") + ".type")
        if "inclusion_base" in data_keys:
            data_keys.remove("inclusion_base")
            data__inclusionbase = data["inclusion_base"]
            if not isinstance(data__inclusionbase, (bool)):
                raise Invalid
        if "name" in data_keys:
            data_keys.remove("name")
            data__name = data["name"]
            if not isinstance(data__name, (str)):
                raise Invalid
            if isinstance(data__name, str):
                data__name_len = len(data__name)
                if data__name_len < 1:
                    raise Invalid
        if "category" in data_keys:
            data_keys.remove("category")
            data__category = data["category"]
            validate_https___nis_invalid_schemas_ehcp_schema_json___defs_institution_category(data__category, custom_formats, (name_prefix or "data") + ".category")
        if "base" in data_keys:
            data_keys.remove("base")
            data__base = data["base"]
            validate_https___nis_invalid_schemas_ehcp_schema_json___defs_specialist_base(data__base, custom_formats, (name_prefix or "data") + ".base")
        if data_keys:
            raise Invalid
    return data

def validate_https___nis_invalid_schemas_ehcp_schema_json___defs_setting_type(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (str)):
        raise Invalid
    if not (isinstance(data, str) and data == 'mainstream' or isinstance(data, str) and data == 'special' or isinstance(data, str) and data == 'ap'):
        raise Invalid
    return data

def validate_https___nis_invalid_schemas_ehcp_schema_json___defs_child(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise Invalid
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set([]) - data.keys()
        if data__missing_keys:
            raise Invalid
        data_keys = set(data.keys())
        if "id" in data_keys:
            data_keys.remove("id")
            data__id = data["id"]
            if not isinstance(data__id, (str)):
                raise Invalid
            if isinstance(data__id, str):
                data__id_len = len(data__id)
                if data__id_len < 1:
                    raise Invalid
        if "dob" in data_keys:
            data_keys.remove("dob")
            data__dob = data["dob"]
            validate_https___nis_invalid_schemas_ehcp_schema_json___defs_date(data__dob, custom_formats, (name_prefix or "data") + ".dob")
        if "year_group" in data_keys:
            data_keys.remove("year_group")
            data__yeargroup = data["year_group"]
            if not isinstance(data__yeargroup, (int)) and not (isinstance(data__yeargroup, float) and data__yeargroup.is_integer()) or isinstance(data__yeargroup, bool):
                raise Invalid
            if isinstance(data__yeargroup, (int, float, Decimal)) and not isinstance(data__yeargroup, bool):
                if data__yeargroup < -1:
                    raise Invalid
                if data__yeargroup > 20:
                    raise Invalid
        if data_keys:
            raise Invalid
    return data


validate = validate_https___nis_invalid_schemas_ehcp_schema_json
