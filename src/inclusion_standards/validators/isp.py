"""nis's ISP schema (schemas/isp.schema.json) compiled to Python by fastjsonschema.

Written by `make validators` (documents.validator_source): do not edit.
"""
# ruff: noqa
SCHEMA_SHA256 = "7d73dde6c011179c9b79f88f35325af51e33d702dd5dec6fc4425837ba17a714"


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
    '^[0-9]{6}$': re.compile('^[0-9]{6}\\Z')
}

NoneType = type(None)

def validate_https___nis_invalid_schemas_isp_schema_json(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise Invalid
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['id', 'child', 'setting', 'layer', 'created', 'next_review', 'coproduced_with', 'needs', 'outcomes', 'provision', 'external_advice']) - data.keys()
        if data__missing_keys:
            raise Invalid
        data_keys = set(data.keys())
        if "document_type" in data_keys:
            data_keys.remove("document_type")
            data__documenttype = data["document_type"]
            if not (isinstance(data__documenttype, str) and data__documenttype == 'isp'):
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
            validate_https___nis_invalid_schemas_isp_schema_json___defs_child(data__child, custom_formats, (name_prefix or "data") + ".child")
        if "setting" in data_keys:
            data_keys.remove("setting")
            data__setting = data["setting"]
            validate_https___nis_invalid_schemas_isp_schema_json___defs_setting(data__setting, custom_formats, (name_prefix or "data") + ".setting")
        if "layer" in data_keys:
            data_keys.remove("layer")
            data__layer = data["layer"]
            validate_https___nis_invalid_schemas_isp_schema_json___defs_layer(data__layer, custom_formats, (name_prefix or "data") + ".layer")
        if "created" in data_keys:
            data_keys.remove("created")
            data__created = data["created"]
            validate_https___nis_invalid_schemas_isp_schema_json___defs_date(data__created, custom_formats, (name_prefix or "data") + ".created")
        if "last_review" in data_keys:
            data_keys.remove("last_review")
            data__lastreview = data["last_review"]
            validate_https___nis_invalid_schemas_isp_schema_json___defs_date(data__lastreview, custom_formats, (name_prefix or "data") + ".last_review")
        if "next_review" in data_keys:
            data_keys.remove("next_review")
            data__nextreview = data["next_review"]
            validate_https___nis_invalid_schemas_isp_schema_json___defs_date(data__nextreview, custom_formats, (name_prefix or "data") + ".next_review")
        if "review_history" in data_keys:
            data_keys.remove("review_history")
            data__reviewhistory = data["review_history"]
            if not isinstance(data__reviewhistory, (list, tuple)):
                raise Invalid
            data__reviewhistory_is_list = isinstance(data__reviewhistory, (list, tuple))
            if data__reviewhistory_is_list:
                data__reviewhistory_len = len(data__reviewhistory)
                for data__reviewhistory_x, data__reviewhistory_item in enumerate(data__reviewhistory):
                    validate_https___nis_invalid_schemas_isp_schema_json___defs_review(data__reviewhistory_item, custom_formats, (name_prefix or "data") + ".review_history[{data__reviewhistory_x}]")
        if "coproduced_with" in data_keys:
            data_keys.remove("coproduced_with")
            data__coproducedwith = data["coproduced_with"]
            if not isinstance(data__coproducedwith, (list, tuple)):
                raise Invalid
            data__coproducedwith_is_list = isinstance(data__coproducedwith, (list, tuple))
            if data__coproducedwith_is_list:
                def fn(var): return frozenset(dict((k, fn(v)) for k, v in var.items()).items()) if hasattr(var, "items") else tuple(fn(v) for v in var) if isinstance(var, (dict, list)) else (bool, var) if isinstance(var, bool) else var
                data__coproducedwith_len = len(data__coproducedwith)
                if data__coproducedwith_len > len(set(fn(data__coproducedwith_x) for data__coproducedwith_x in data__coproducedwith)):
                    raise Invalid
                for data__coproducedwith_x, data__coproducedwith_item in enumerate(data__coproducedwith):
                    if not isinstance(data__coproducedwith_item, (str)):
                        raise Invalid
                    if not (isinstance(data__coproducedwith_item, str) and data__coproducedwith_item == 'parent' or isinstance(data__coproducedwith_item, str) and data__coproducedwith_item == 'carer' or isinstance(data__coproducedwith_item, str) and data__coproducedwith_item == 'young_person' or isinstance(data__coproducedwith_item, str) and data__coproducedwith_item == 'senco' or isinstance(data__coproducedwith_item, str) and data__coproducedwith_item == 'class_teacher' or isinstance(data__coproducedwith_item, str) and data__coproducedwith_item == 'professional'):
                        raise Invalid
        if "child_views" in data_keys:
            data_keys.remove("child_views")
            data__childviews = data["child_views"]
            if not isinstance(data__childviews, (str)):
                raise Invalid
        if "participants" in data_keys:
            data_keys.remove("participants")
            data__participants = data["participants"]
            if not isinstance(data__participants, (list, tuple)):
                raise Invalid
            data__participants_is_list = isinstance(data__participants, (list, tuple))
            if data__participants_is_list:
                data__participants_len = len(data__participants)
                for data__participants_x, data__participants_item in enumerate(data__participants):
                    validate_https___nis_invalid_schemas_isp_schema_json___defs_participant(data__participants_item, custom_formats, (name_prefix or "data") + ".participants[{data__participants_x}]")
        if "needs" in data_keys:
            data_keys.remove("needs")
            data__needs = data["needs"]
            if not isinstance(data__needs, (list, tuple)):
                raise Invalid
            data__needs_is_list = isinstance(data__needs, (list, tuple))
            if data__needs_is_list:
                data__needs_len = len(data__needs)
                for data__needs_x, data__needs_item in enumerate(data__needs):
                    validate_https___nis_invalid_schemas_isp_schema_json___defs_need(data__needs_item, custom_formats, (name_prefix or "data") + ".needs[{data__needs_x}]")
        if "outcomes" in data_keys:
            data_keys.remove("outcomes")
            data__outcomes = data["outcomes"]
            if not isinstance(data__outcomes, (list, tuple)):
                raise Invalid
            data__outcomes_is_list = isinstance(data__outcomes, (list, tuple))
            if data__outcomes_is_list:
                data__outcomes_len = len(data__outcomes)
                for data__outcomes_x, data__outcomes_item in enumerate(data__outcomes):
                    validate_https___nis_invalid_schemas_isp_schema_json___defs_outcome(data__outcomes_item, custom_formats, (name_prefix or "data") + ".outcomes[{data__outcomes_x}]")
        if "provision" in data_keys:
            data_keys.remove("provision")
            data__provision = data["provision"]
            if not isinstance(data__provision, (list, tuple)):
                raise Invalid
            data__provision_is_list = isinstance(data__provision, (list, tuple))
            if data__provision_is_list:
                data__provision_len = len(data__provision)
                for data__provision_x, data__provision_item in enumerate(data__provision):
                    validate_https___nis_invalid_schemas_isp_schema_json___defs_provision(data__provision_item, custom_formats, (name_prefix or "data") + ".provision[{data__provision_x}]")
        if "external_advice" in data_keys:
            data_keys.remove("external_advice")
            data__externaladvice = data["external_advice"]
            if not isinstance(data__externaladvice, (list, tuple)):
                raise Invalid
            data__externaladvice_is_list = isinstance(data__externaladvice, (list, tuple))
            if data__externaladvice_is_list:
                data__externaladvice_len = len(data__externaladvice)
                for data__externaladvice_x, data__externaladvice_item in enumerate(data__externaladvice):
                    validate_https___nis_invalid_schemas_isp_schema_json___defs_external_advice(data__externaladvice_item, custom_formats, (name_prefix or "data") + ".external_advice[{data__externaladvice_x}]")
        if "transitions" in data_keys:
            data_keys.remove("transitions")
            data__transitions = data["transitions"]
            if not isinstance(data__transitions, (list, tuple)):
                raise Invalid
            data__transitions_is_list = isinstance(data__transitions, (list, tuple))
            if data__transitions_is_list:
                data__transitions_len = len(data__transitions)
                for data__transitions_x, data__transitions_item in enumerate(data__transitions):
                    validate_https___nis_invalid_schemas_isp_schema_json___defs_transition(data__transitions_item, custom_formats, (name_prefix or "data") + ".transitions[{data__transitions_x}]")
        if "ehcp_ref" in data_keys:
            data_keys.remove("ehcp_ref")
            data__ehcpref = data["ehcp_ref"]
            if not isinstance(data__ehcpref, (str, NoneType)):
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
                        if data__specialistprovisionpackages_item_keys:
                            raise Invalid
        if "evidence" in data_keys:
            data_keys.remove("evidence")
            data__evidence = data["evidence"]
            validate_https___nis_invalid_schemas_isp_schema_json___defs_evidence(data__evidence, custom_formats, (name_prefix or "data") + ".evidence")
        if data_keys:
            raise Invalid
    return data

def validate_https___nis_invalid_schemas_isp_schema_json___defs_evidence(data, custom_formats={}, name_prefix=None):
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
                            validate_https___nis_invalid_schemas_isp_schema_json___defs_area(data__needlevels_item__area, custom_formats, (name_prefix or "data") + ".need_levels[{data__needlevels_x}].area")
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
                            validate_https___nis_invalid_schemas_isp_schema_json___defs_role(data__needlevels_item__evidencedby, custom_formats, (name_prefix or "data") + ".need_levels[{data__needlevels_x}].evidenced_by")
                        if "date" in data__needlevels_item_keys:
                            data__needlevels_item_keys.remove("date")
                            data__needlevels_item__date = data__needlevels_item["date"]
                            validate_https___nis_invalid_schemas_isp_schema_json___defs_date(data__needlevels_item__date, custom_formats, (name_prefix or "data") + ".need_levels[{data__needlevels_x}].date")
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
                            validate_https___nis_invalid_schemas_isp_schema_json___defs_date(data__assessments_item__date, custom_formats, (name_prefix or "data") + ".assessments[{data__assessments_x}].date")
                        if "assessor_role" in data__assessments_item_keys:
                            data__assessments_item_keys.remove("assessor_role")
                            data__assessments_item__assessorrole = data__assessments_item["assessor_role"]
                            validate_https___nis_invalid_schemas_isp_schema_json___defs_role(data__assessments_item__assessorrole, custom_formats, (name_prefix or "data") + ".assessments[{data__assessments_x}].assessor_role")
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
                    validate_https___nis_invalid_schemas_isp_schema_json___defs_ratio(data__adultsupport__ratio, custom_formats, (name_prefix or "data") + ".adult_support.ratio")
                if "evidenced_by" in data__adultsupport_keys:
                    data__adultsupport_keys.remove("evidenced_by")
                    data__adultsupport__evidencedby = data__adultsupport["evidenced_by"]
                    validate_https___nis_invalid_schemas_isp_schema_json___defs_role(data__adultsupport__evidencedby, custom_formats, (name_prefix or "data") + ".adult_support.evidenced_by")
                if "date" in data__adultsupport_keys:
                    data__adultsupport_keys.remove("date")
                    data__adultsupport__date = data__adultsupport["date"]
                    validate_https___nis_invalid_schemas_isp_schema_json___defs_date(data__adultsupport__date, custom_formats, (name_prefix or "data") + ".adult_support.date")
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
                    validate_https___nis_invalid_schemas_isp_schema_json___defs_role(data__personalcare__evidencedby, custom_formats, (name_prefix or "data") + ".personal_care.evidenced_by")
                if "date" in data__personalcare_keys:
                    data__personalcare_keys.remove("date")
                    data__personalcare__date = data__personalcare["date"]
                    validate_https___nis_invalid_schemas_isp_schema_json___defs_date(data__personalcare__date, custom_formats, (name_prefix or "data") + ".personal_care.date")
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
                            validate_https___nis_invalid_schemas_isp_schema_json___defs_role(data__healthneeds_item__evidencedby, custom_formats, (name_prefix or "data") + ".health_needs[{data__healthneeds_x}].evidenced_by")
                        if "date" in data__healthneeds_item_keys:
                            data__healthneeds_item_keys.remove("date")
                            data__healthneeds_item__date = data__healthneeds_item["date"]
                            validate_https___nis_invalid_schemas_isp_schema_json___defs_date(data__healthneeds_item__date, custom_formats, (name_prefix or "data") + ".health_needs[{data__healthneeds_x}].date")
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

def validate_https___nis_invalid_schemas_isp_schema_json___defs_ratio(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (str)):
        raise Invalid
    if isinstance(data, str):
        if not REGEX_PATTERNS['^[1-9][0-9]?:[1-9][0-9]?$'].search(data):
            raise Invalid
    return data

def validate_https___nis_invalid_schemas_isp_schema_json___defs_role(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (str)):
        raise Invalid
    if not (isinstance(data, str) and data == 'parent' or isinstance(data, str) and data == 'carer' or isinstance(data, str) and data == 'young_person' or isinstance(data, str) and data == 'senco' or isinstance(data, str) and data == 'class_teacher' or isinstance(data, str) and data == 'teaching_assistant' or isinstance(data, str) and data == 'head_teacher' or isinstance(data, str) and data == 'personal_assistant' or isinstance(data, str) and data == 'care_worker' or isinstance(data, str) and data == 'local_authority_officer' or isinstance(data, str) and data == 'educational_psychologist' or isinstance(data, str) and data == 'speech_and_language_therapist' or isinstance(data, str) and data == 'occupational_therapist' or isinstance(data, str) and data == 'physiotherapist' or isinstance(data, str) and data == 'camhs_clinician' or isinstance(data, str) and data == 'paediatrician' or isinstance(data, str) and data == 'specialist_teacher' or isinstance(data, str) and data == 'teacher_of_the_deaf' or isinstance(data, str) and data == 'qualified_teacher_of_vision_impairment' or isinstance(data, str) and data == 'audiologist' or isinstance(data, str) and data == 'clinical_psychologist' or isinstance(data, str) and data == 'psychiatrist' or isinstance(data, str) and data == 'school_nurse' or isinstance(data, str) and data == 'specialist_nurse' or isinstance(data, str) and data == 'health_visitor' or isinstance(data, str) and data == 'dietitian' or isinstance(data, str) and data == 'social_worker' or isinstance(data, str) and data == 'portage_worker' or isinstance(data, str) and data == 'careers_adviser' or isinstance(data, str) and data == 'other_professional'):
        raise Invalid
    return data

def validate_https___nis_invalid_schemas_isp_schema_json___defs_area(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (str)):
        raise Invalid
    if not (isinstance(data, str) and data == 'communication_and_interaction' or isinstance(data, str) and data == 'cognition_and_learning' or isinstance(data, str) and data == 'social_emotional_mental_health' or isinstance(data, str) and data == 'sensory_and_physical'):
        raise Invalid
    return data

def validate_https___nis_invalid_schemas_isp_schema_json___defs_transition(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise Invalid
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['date', 'kind']) - data.keys()
        if data__missing_keys:
            raise Invalid
        data_keys = set(data.keys())
        if "date" in data_keys:
            data_keys.remove("date")
            data__date = data["date"]
            validate_https___nis_invalid_schemas_isp_schema_json___defs_date(data__date, custom_formats, (name_prefix or "data") + ".date")
        if "kind" in data_keys:
            data_keys.remove("kind")
            data__kind = data["kind"]
            if not isinstance(data__kind, (str)):
                raise Invalid
            if not (isinstance(data__kind, str) and data__kind == 'phase_transfer' or isinstance(data__kind, str) and data__kind == 'setting_move' or isinstance(data__kind, str) and data__kind == 'post16' or isinstance(data__kind, str) and data__kind == 'other'):
                raise Invalid
        if "description" in data_keys:
            data_keys.remove("description")
            data__description = data["description"]
            if not isinstance(data__description, (str)):
                raise Invalid
        if data_keys:
            raise Invalid
    return data

def validate_https___nis_invalid_schemas_isp_schema_json___defs_external_advice(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise Invalid
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['role', 'date']) - data.keys()
        if data__missing_keys:
            raise Invalid
        data_keys = set(data.keys())
        if "role" in data_keys:
            data_keys.remove("role")
            data__role = data["role"]
            validate_https___nis_invalid_schemas_isp_schema_json___defs_professional_role(data__role, custom_formats, (name_prefix or "data") + ".role")
        if "date" in data_keys:
            data_keys.remove("date")
            data__date = data["date"]
            validate_https___nis_invalid_schemas_isp_schema_json___defs_date(data__date, custom_formats, (name_prefix or "data") + ".date")
        if "summary" in data_keys:
            data_keys.remove("summary")
            data__summary = data["summary"]
            if not isinstance(data__summary, (str)):
                raise Invalid
        if data_keys:
            raise Invalid
    return data

def validate_https___nis_invalid_schemas_isp_schema_json___defs_professional_role(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (str)):
        raise Invalid
    if not (isinstance(data, str) and data == 'educational_psychologist' or isinstance(data, str) and data == 'speech_and_language_therapist' or isinstance(data, str) and data == 'occupational_therapist' or isinstance(data, str) and data == 'physiotherapist' or isinstance(data, str) and data == 'camhs_clinician' or isinstance(data, str) and data == 'paediatrician' or isinstance(data, str) and data == 'specialist_teacher' or isinstance(data, str) and data == 'teacher_of_the_deaf' or isinstance(data, str) and data == 'qualified_teacher_of_vision_impairment' or isinstance(data, str) and data == 'audiologist' or isinstance(data, str) and data == 'clinical_psychologist' or isinstance(data, str) and data == 'psychiatrist' or isinstance(data, str) and data == 'school_nurse' or isinstance(data, str) and data == 'specialist_nurse' or isinstance(data, str) and data == 'health_visitor' or isinstance(data, str) and data == 'dietitian' or isinstance(data, str) and data == 'social_worker' or isinstance(data, str) and data == 'portage_worker' or isinstance(data, str) and data == 'careers_adviser' or isinstance(data, str) and data == 'other_professional'):
        raise Invalid
    return data

def validate_https___nis_invalid_schemas_isp_schema_json___defs_provision(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise Invalid
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['area', 'layer', 'description', 'hours_per_week', 'provider', 'evidence_based', 'start']) - data.keys()
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
        if "area" in data_keys:
            data_keys.remove("area")
            data__area = data["area"]
            validate_https___nis_invalid_schemas_isp_schema_json___defs_area(data__area, custom_formats, (name_prefix or "data") + ".area")
        if "layer" in data_keys:
            data_keys.remove("layer")
            data__layer = data["layer"]
            validate_https___nis_invalid_schemas_isp_schema_json___defs_layer(data__layer, custom_formats, (name_prefix or "data") + ".layer")
        if "description" in data_keys:
            data_keys.remove("description")
            data__description = data["description"]
            if not isinstance(data__description, (str)):
                raise Invalid
            if isinstance(data__description, str):
                data__description_len = len(data__description)
                if data__description_len < 1:
                    raise Invalid
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
        if "provider" in data_keys:
            data_keys.remove("provider")
            data__provider = data["provider"]
            validate_https___nis_invalid_schemas_isp_schema_json___defs_provider(data__provider, custom_formats, (name_prefix or "data") + ".provider")
        if "frequency" in data_keys:
            data_keys.remove("frequency")
            data__frequency = data["frequency"]
            if not isinstance(data__frequency, (str)):
                raise Invalid
        if "duration_weeks" in data_keys:
            data_keys.remove("duration_weeks")
            data__durationweeks = data["duration_weeks"]
            if not isinstance(data__durationweeks, (int)) and not (isinstance(data__durationweeks, float) and data__durationweeks.is_integer()) or isinstance(data__durationweeks, bool):
                raise Invalid
            if isinstance(data__durationweeks, (int, float, Decimal)) and not isinstance(data__durationweeks, bool):
                if data__durationweeks < 1:
                    raise Invalid
                if data__durationweeks > 104:
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
        if "evidence_based" in data_keys:
            data_keys.remove("evidence_based")
            data__evidencebased = data["evidence_based"]
            if not isinstance(data__evidencebased, (bool)):
                raise Invalid
        if "evidence_base" in data_keys:
            data_keys.remove("evidence_base")
            data__evidencebase = data["evidence_base"]
            if not isinstance(data__evidencebase, (str)):
                raise Invalid
        if "start" in data_keys:
            data_keys.remove("start")
            data__start = data["start"]
            validate_https___nis_invalid_schemas_isp_schema_json___defs_date(data__start, custom_formats, (name_prefix or "data") + ".start")
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
        if "need_id" in data_keys:
            data_keys.remove("need_id")
            data__needid = data["need_id"]
            if not isinstance(data__needid, (str)):
                raise Invalid
            if isinstance(data__needid, str):
                data__needid_len = len(data__needid)
                if data__needid_len < 1:
                    raise Invalid
        if data_keys:
            raise Invalid
    return data

def validate_https___nis_invalid_schemas_isp_schema_json___defs_provider(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (str)):
        raise Invalid
    if not (isinstance(data, str) and data == 'teacher' or isinstance(data, str) and data == 'ta' or isinstance(data, str) and data == 'senco' or isinstance(data, str) and data == 'salt' or isinstance(data, str) and data == 'ep' or isinstance(data, str) and data == 'ot' or isinstance(data, str) and data == 'physio' or isinstance(data, str) and data == 'specialist_teacher' or isinstance(data, str) and data == 'camhs' or isinstance(data, str) and data == 'school_nurse' or isinstance(data, str) and data == 'other'):
        raise Invalid
    return data

def validate_https___nis_invalid_schemas_isp_schema_json___defs_outcome(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise Invalid
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['area', 'description', 'measurable', 'target_date']) - data.keys()
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
        if "area" in data_keys:
            data_keys.remove("area")
            data__area = data["area"]
            validate_https___nis_invalid_schemas_isp_schema_json___defs_area(data__area, custom_formats, (name_prefix or "data") + ".area")
        if "description" in data_keys:
            data_keys.remove("description")
            data__description = data["description"]
            if not isinstance(data__description, (str)):
                raise Invalid
            if isinstance(data__description, str):
                data__description_len = len(data__description)
                if data__description_len < 1:
                    raise Invalid
        if "measurable" in data_keys:
            data_keys.remove("measurable")
            data__measurable = data["measurable"]
            if not isinstance(data__measurable, (bool)):
                raise Invalid
        if "measure" in data_keys:
            data_keys.remove("measure")
            data__measure = data["measure"]
            if not isinstance(data__measure, (str)):
                raise Invalid
        if "target_date" in data_keys:
            data_keys.remove("target_date")
            data__targetdate = data["target_date"]
            validate_https___nis_invalid_schemas_isp_schema_json___defs_date(data__targetdate, custom_formats, (name_prefix or "data") + ".target_date")
        if "need_id" in data_keys:
            data_keys.remove("need_id")
            data__needid = data["need_id"]
            if not isinstance(data__needid, (str)):
                raise Invalid
            if isinstance(data__needid, str):
                data__needid_len = len(data__needid)
                if data__needid_len < 1:
                    raise Invalid
        if data_keys:
            raise Invalid
    return data

def validate_https___nis_invalid_schemas_isp_schema_json___defs_need(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise Invalid
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['area', 'severity', 'description']) - data.keys()
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
        if "area" in data_keys:
            data_keys.remove("area")
            data__area = data["area"]
            validate_https___nis_invalid_schemas_isp_schema_json___defs_area(data__area, custom_formats, (name_prefix or "data") + ".area")
        if "severity" in data_keys:
            data_keys.remove("severity")
            data__severity = data["severity"]
            if not isinstance(data__severity, (int)) and not (isinstance(data__severity, float) and data__severity.is_integer()) or isinstance(data__severity, bool):
                raise Invalid
            if isinstance(data__severity, (int, float, Decimal)) and not isinstance(data__severity, bool):
                if data__severity < 1:
                    raise Invalid
                if data__severity > 5:
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
        if "strengths" in data_keys:
            data_keys.remove("strengths")
            data__strengths = data["strengths"]
            if not isinstance(data__strengths, (str)):
                raise Invalid
        if data_keys:
            raise Invalid
    return data

def validate_https___nis_invalid_schemas_isp_schema_json___defs_participant(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise Invalid
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['role']) - data.keys()
        if data__missing_keys:
            raise Invalid
        data_keys = set(data.keys())
        if "role" in data_keys:
            data_keys.remove("role")
            data__role = data["role"]
            validate_https___nis_invalid_schemas_isp_schema_json___defs_role(data__role, custom_formats, (name_prefix or "data") + ".role")
        if "name" in data_keys:
            data_keys.remove("name")
            data__name = data["name"]
            if not isinstance(data__name, (str)):
                raise Invalid
            if isinstance(data__name, str):
                data__name_len = len(data__name)
                if data__name_len < 1:
                    raise Invalid
        if data_keys:
            raise Invalid
    return data

def validate_https___nis_invalid_schemas_isp_schema_json___defs_review(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise Invalid
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['date']) - data.keys()
        if data__missing_keys:
            raise Invalid
        data_keys = set(data.keys())
        if "date" in data_keys:
            data_keys.remove("date")
            data__date = data["date"]
            validate_https___nis_invalid_schemas_isp_schema_json___defs_date(data__date, custom_formats, (name_prefix or "data") + ".date")
        if "summary" in data_keys:
            data_keys.remove("summary")
            data__summary = data["summary"]
            if not isinstance(data__summary, (str)):
                raise Invalid
        if "progress" in data_keys:
            data_keys.remove("progress")
            data__progress = data["progress"]
            if not isinstance(data__progress, (list, tuple)):
                raise Invalid
            data__progress_is_list = isinstance(data__progress, (list, tuple))
            if data__progress_is_list:
                data__progress_len = len(data__progress)
                for data__progress_x, data__progress_item in enumerate(data__progress):
                    if not isinstance(data__progress_item, (dict)):
                        raise Invalid
                    data__progress_item_is_dict = isinstance(data__progress_item, dict)
                    if data__progress_item_is_dict:
                        data__progress_item__missing_keys = set(['outcome_id', 'rating']) - data__progress_item.keys()
                        if data__progress_item__missing_keys:
                            raise Invalid
                        data__progress_item_keys = set(data__progress_item.keys())
                        if "outcome_id" in data__progress_item_keys:
                            data__progress_item_keys.remove("outcome_id")
                            data__progress_item__outcomeid = data__progress_item["outcome_id"]
                            if not isinstance(data__progress_item__outcomeid, (str)):
                                raise Invalid
                            if isinstance(data__progress_item__outcomeid, str):
                                data__progress_item__outcomeid_len = len(data__progress_item__outcomeid)
                                if data__progress_item__outcomeid_len < 1:
                                    raise Invalid
                        if "rating" in data__progress_item_keys:
                            data__progress_item_keys.remove("rating")
                            data__progress_item__rating = data__progress_item["rating"]
                            if not isinstance(data__progress_item__rating, (str)):
                                raise Invalid
                            if not (isinstance(data__progress_item__rating, str) and data__progress_item__rating == 'not_started' or isinstance(data__progress_item__rating, str) and data__progress_item__rating == 'some_progress' or isinstance(data__progress_item__rating, str) and data__progress_item__rating == 'good_progress' or isinstance(data__progress_item__rating, str) and data__progress_item__rating == 'achieved'):
                                raise Invalid
                        if "note" in data__progress_item_keys:
                            data__progress_item_keys.remove("note")
                            data__progress_item__note = data__progress_item["note"]
                            if not isinstance(data__progress_item__note, (str)):
                                raise Invalid
                        if data__progress_item_keys:
                            raise Invalid
        if data_keys:
            raise Invalid
    return data

def validate_https___nis_invalid_schemas_isp_schema_json___defs_date(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (str)):
        raise Invalid
    if isinstance(data, str):
        if not custom_formats["date"](data):
            raise Invalid
    return data

def validate_https___nis_invalid_schemas_isp_schema_json___defs_layer(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (str)):
        raise Invalid
    if not (isinstance(data, str) and data == 'universal' or isinstance(data, str) and data == 'targeted' or isinstance(data, str) and data == 'targeted_plus' or isinstance(data, str) and data == 'specialist'):
        raise Invalid
    return data

def validate_https___nis_invalid_schemas_isp_schema_json___defs_setting(data, custom_formats={}, name_prefix=None):
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
            validate_https___nis_invalid_schemas_isp_schema_json___defs_phase(data__phase, custom_formats, (name_prefix or "data") + ".phase")
        if "type" in data_keys:
            data_keys.remove("type")
            data__type = data["type"]
            validate_https___nis_invalid_schemas_isp_schema_json___defs_setting_type(data__type, custom_formats, (name_prefix or "data") + ".type")
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
            validate_https___nis_invalid_schemas_isp_schema_json___defs_institution_category(data__category, custom_formats, (name_prefix or "data") + ".category")
        if "base" in data_keys:
            data_keys.remove("base")
            data__base = data["base"]
            validate_https___nis_invalid_schemas_isp_schema_json___defs_specialist_base(data__base, custom_formats, (name_prefix or "data") + ".base")
        if data_keys:
            raise Invalid
    return data

def validate_https___nis_invalid_schemas_isp_schema_json___defs_specialist_base(data, custom_formats={}, name_prefix=None):
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

def validate_https___nis_invalid_schemas_isp_schema_json___defs_institution_category(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (str)):
        raise Invalid
    if not (isinstance(data, str) and data == 'maintained_school' or isinstance(data, str) and data == 'maintained_nursery_school' or isinstance(data, str) and data == 'academy_school' or isinstance(data, str) and data == 'alternative_provision_academy' or isinstance(data, str) and data == 'sixteen_to_nineteen_academy' or isinstance(data, str) and data == 'pupil_referral_unit' or isinstance(data, str) and data == 'further_education_institution' or isinstance(data, str) and data == 'non_maintained_special_school' or isinstance(data, str) and data == 'section_41_approved_institution' or isinstance(data, str) and data == 'independent_school' or isinstance(data, str) and data == 'early_years_provider' or isinstance(data, str) and data == 'other'):
        raise Invalid
    return data

def validate_https___nis_invalid_schemas_isp_schema_json___defs_setting_type(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (str)):
        raise Invalid
    if not (isinstance(data, str) and data == 'mainstream' or isinstance(data, str) and data == 'special' or isinstance(data, str) and data == 'ap'):
        raise Invalid
    return data

def validate_https___nis_invalid_schemas_isp_schema_json___defs_phase(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (str)):
        raise Invalid
    if not (isinstance(data, str) and data == 'early_years' or isinstance(data, str) and data == 'primary' or isinstance(data, str) and data == 'secondary' or isinstance(data, str) and data == 'post16'):
        raise Invalid
    return data

def validate_https___nis_invalid_schemas_isp_schema_json___defs_child(data, custom_formats={}, name_prefix=None):
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
            validate_https___nis_invalid_schemas_isp_schema_json___defs_date(data__dob, custom_formats, (name_prefix or "data") + ".dob")
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


validate = validate_https___nis_invalid_schemas_isp_schema_json
