"""infra/template.yaml: its Glue tables come from schema.py (never a stale copy), and it holds
what the deployment promises (schedule, retries, least privilege, runtime)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.infra.scripts import ROOT, load_script, load_template
from tglake import schema
from tglake.analytics.athena_ddl import athena_type, projection_properties

TEMPLATE: dict[str, Any] = load_template()
RESOURCES: dict[str, Any] = TEMPLATE["Resources"]


def test_the_committed_template_is_rendered_from_the_current_code() -> None:
    render = load_script("render_template")
    current = (ROOT / "infra" / "template.yaml").read_text(encoding="utf-8")
    assert render.render(current) == current, "infra/template.yaml is stale: run `make template`"


def test_a_changed_schema_makes_the_template_stale(monkeypatch: pytest.MonkeyPatch) -> None:
    import pyarrow as pa

    render = load_script("render_template")
    current = (ROOT / "infra" / "template.yaml").read_text(encoding="utf-8")
    grown = schema.MESSAGES.append(pa.field("new_column", pa.int64()))
    monkeypatch.setitem(schema.SCHEMAS, "messages", grown)
    assert render.render(current) != current


def glue_tables() -> dict[str, Any]:
    tables = {}
    for resource in RESOURCES.values():
        if resource["Type"] == "AWS::Glue::Table":
            table_input = resource["Properties"]["TableInput"]
            tables[table_input["Name"]] = table_input
    return tables


def test_one_glue_table_per_enriched_table_with_the_schema_columns() -> None:
    tables = glue_tables()
    assert sorted(tables) == sorted(schema.SCHEMAS)
    for name, table_input in tables.items():
        columns = [(c["Name"], c["Type"]) for c in table_input["StorageDescriptor"]["Columns"]]
        assert columns == [(f.name, athena_type(f.type)) for f in schema.SCHEMAS[name]]
        assert table_input["PartitionKeys"] == [{"Name": "context_date", "Type": "date"}]


def test_glue_tables_use_partition_projection_on_the_enriched_bucket() -> None:
    expected = projection_properties("s3://${EnrichedBucket}/telegram/messages/")
    parameters = glue_tables()["messages"]["Parameters"]
    template = parameters.pop("storage.location.template")
    assert template == {
        "Fn::Sub": "s3://${EnrichedBucket}/telegram/messages/context_date=${!context_date}/"
    }
    expected.pop("storage.location.template")
    assert parameters == {"EXTERNAL": "TRUE", **expected}


def test_functions_are_python_312_on_arm64_with_the_built_artifacts() -> None:
    function_globals = TEMPLATE["Globals"]["Function"]  # type: ignore[index]
    assert (function_globals["Runtime"], function_globals["Architectures"]) == (
        "python3.12",
        ["arm64"],
    )
    webhook = RESOURCES["WebhookFunction"]["Properties"]
    etl = RESOURCES["EtlFunction"]["Properties"]
    assert webhook["CodeUri"] == "../build/lambda-webhook.zip"
    assert webhook["Handler"] == "tglake.adapters.lambda_handlers.webhook_handler"
    assert webhook["Layers"] == [{"Ref": "BotDepsLayer"}]
    bot_layer = RESOURCES["BotDepsLayer"]["Properties"]
    assert bot_layer["ContentUri"] == "../build/layer-bot-deps.zip"
    assert bot_layer["CompatibleArchitectures"] == ["arm64"]
    assert webhook["Events"]["Webhook"]["Properties"]["Method"] == "POST"
    assert webhook["Events"]["Webhook"]["Properties"]["Path"] == "/webhook"
    assert etl["CodeUri"] == "../build/lambda-etl.zip"
    assert etl["Handler"] == "tglake.adapters.lambda_handlers.etl_handler"
    assert "AWSSDKPandas-Python312-Arm64" in str(etl["Layers"])


def test_nightly_schedule_at_3_in_sao_paulo_with_retries_and_a_dead_letter_queue() -> None:
    schedule = RESOURCES["EtlSchedule"]["Properties"]
    assert schedule["ScheduleExpression"] == "cron(0 3 * * ? *)"
    assert TEMPLATE["Parameters"]["TimeZone"]["Default"] == "America/Sao_Paulo"  # type: ignore[index]
    assert schedule["ScheduleExpressionTimezone"] == {"Ref": "TimeZone"}
    target = schedule["Target"]
    assert target["RetryPolicy"]["MaximumRetryAttempts"] >= 1
    assert target["DeadLetterConfig"]["Arn"] == {"Fn::GetAtt": "EtlDeadLetterQueue.Arn"}
    assert "<aws.scheduler.scheduled-time>" in target["Input"]


def statements(function: str) -> list[dict[str, Any]]:
    policies = RESOURCES[function]["Properties"]["Policies"]
    return [s for policy in policies for s in policy["Statement"]]


def test_least_privilege_ingest_puts_to_raw_only_and_etl_never_writes_raw() -> None:
    for statement in statements("WebhookFunction"):
        assert "EnrichedBucket" not in str(statement["Resource"])
        assert "s3:DeleteObject" not in statement["Action"]
    for statement in statements("EtlFunction"):
        if "RawBucket" in str(statement["Resource"]):
            assert set(
                statement["Action"]
                if isinstance(statement["Action"], list)
                else [statement["Action"]]
            ) <= {
                "s3:GetObject",
                "s3:ListBucket",
            }


@pytest.mark.parametrize("bucket", ["RawBucket", "EnrichedBucket", "AthenaResultsBucket"])
def test_buckets_are_private_encrypted_and_tls_only(bucket: str) -> None:
    properties = RESOURCES[bucket]["Properties"]
    assert all(properties["PublicAccessBlockConfiguration"].values())
    assert properties["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    policy = RESOURCES[f"{bucket}Policy"]["Properties"]["PolicyDocument"]["Statement"][0]
    assert policy["Effect"] == "Deny"
    assert policy["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_raw_is_versioned_and_outputs_give_the_webhook_url() -> None:
    assert RESOURCES["RawBucket"]["Properties"]["VersioningConfiguration"] == {"Status": "Enabled"}
    outputs = TEMPLATE["Outputs"]
    assert "/webhook" in outputs["WebhookUrl"]["Value"]["Fn::Sub"]  # type: ignore[index]
    assert "tglake webhook set" in outputs["NextSteps"]["Value"]["Fn::Sub"]  # type: ignore[index]


def test_named_queries_are_the_query_library_rendered_for_athena() -> None:
    import sqlglot

    expected = load_script("render_template").named_query_sql()
    found = {
        resource["Properties"]["Name"].removeprefix("tglake "): resource["Properties"]
        for resource in RESOURCES.values()
        if resource["Type"] == "AWS::Athena::NamedQuery"
    }
    assert sorted(found) == sorted(expected)
    for name, (description, text) in expected.items():
        assert found[name]["QueryString"] == text
        assert found[name]["Description"] == description[:1024]
        assert found[name]["WorkGroup"] == {"Ref": "AthenaWorkGroup"}
        assert "$" not in text, name  # every parameter rendered
        assert sqlglot.parse(text, read="athena"), name


def test_the_silence_alarm_watches_the_updates_the_webhook_function_prints() -> None:
    from tglake.adapters.emf import COUNTS

    alarm = RESOURCES["NoUpdatesAlarm"]["Properties"]
    webhook_env = RESOURCES["WebhookFunction"]["Properties"]["Environment"]["Variables"]
    # the function publishes to the namespace the alarm reads, under the name EMF gives updates
    assert alarm["Namespace"] == webhook_env["TGLAKE_METRICS_NAMESPACE"]
    assert alarm["MetricName"] == COUNTS["updates"][0]
    assert "Dimensions" not in alarm  # the total, which every EMF line also carries
    assert (alarm["Period"], alarm["EvaluationPeriods"]) == (3600, {"Ref": "SilenceAlarmHours"})
    assert (alarm["Statistic"], alarm["Threshold"]) == ("Sum", 1)
    assert alarm["ComparisonOperator"] == "LessThanThreshold"
    assert alarm["TreatMissingData"] == "breaching"
    assert TEMPLATE["Parameters"]["SilenceAlarmHours"]["Default"] == 24  # type: ignore[index]


@pytest.mark.parametrize(
    "value", ["", "MogiEleicoesBot", "@MogiEleicoesBot", "abcde", "a" * 32, "abcd", "a" * 33,
              "@@MogiEleicoesBot", "Mogi-Eleicoes-Bot", "mogi bot", "MogiEleiçõesBot"],
)  # fmt: skip
def test_the_webhook_gets_the_bot_username_the_setting_would_accept(value: str) -> None:
    """The stack refuses at deploy time what the Lambda would refuse on its cold start."""
    import re

    from tglake.config import Settings
    from tglake.errors import ConfigError

    webhook_env = RESOURCES["WebhookFunction"]["Properties"]["Environment"]["Variables"]
    assert webhook_env["TGLAKE_BOT_USERNAME"] == {"Ref": "BotUsername"}
    parameter = TEMPLATE["Parameters"]["BotUsername"]  # type: ignore[index]
    assert parameter["Default"] == ""
    try:
        Settings.from_env({"TGLAKE_BOT_USERNAME": value})
        accepted = True
    except ConfigError:
        accepted = False
    assert bool(re.fullmatch(parameter["AllowedPattern"], value)) == accepted


def test_the_context_table_is_the_one_the_code_reads_and_writes() -> None:
    """Keys and TTL attribute are the adapter's; on demand; disposable, with no backups to hold
    for 35 days what /esquecer and tglake forget erase."""
    from tglake.adapters.dynamo_contexts import CONVERSATION, EXPIRES_AT, USER_KEY

    table = RESOURCES["ContextTable"]
    properties = table["Properties"]
    assert table["Type"] == "AWS::DynamoDB::Table"
    assert properties["KeySchema"] == [
        {"AttributeName": USER_KEY, "KeyType": "HASH"},
        {"AttributeName": CONVERSATION, "KeyType": "RANGE"},
    ]
    assert properties["BillingMode"] == "PAY_PER_REQUEST"
    assert properties["TimeToLiveSpecification"] == {"AttributeName": EXPIRES_AT, "Enabled": True}
    assert properties["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": False}
    assert (table["DeletionPolicy"], table["UpdateReplacePolicy"]) == ("Delete", "Delete")


def test_only_the_webhook_reaches_the_context_table_with_item_actions_on_it_alone() -> None:
    webhook_env = RESOURCES["WebhookFunction"]["Properties"]["Environment"]["Variables"]
    assert webhook_env["TGLAKE_CONTEXT_TABLE"] == {"Ref": "ContextTable"}
    # the contexts are keyed by the lake's user_key: the webhook needs the pseudonym key
    assert webhook_env["TGLAKE_PSEUDONYM_KEY_REF"] == {"Ref": "PseudonymKey"}
    secrets = [s for s in statements("WebhookFunction") if s["Sid"] == "ReadItsSecrets"]
    assert {"Ref": "PseudonymKey"} in secrets[0]["Resource"]
    dynamo = [s for s in statements("WebhookFunction") if "dynamodb:" in str(s["Action"])]
    assert len(dynamo) == 1
    assert dynamo[0]["Resource"] == {"Fn::GetAtt": "ContextTable.Arn"}
    assert set(dynamo[0]["Action"]) == {
        "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:Query"
    }  # fmt: skip
    assert "dynamodb" not in str(RESOURCES["EtlFunction"]["Properties"]["Policies"])
