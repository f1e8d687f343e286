#!/usr/bin/env python3
"""Serving an existing LiteLLM database, end to end: the built binary with a LiteLLM config.yaml
whose database_url names a PostgreSQL database holding LiteLLM's real schema (every migration of
the pinned litellm-proxy-extras, applied by scripts/litellm-schema.sh), the official `openai` SDK
as the client, and rows written and read with psql the way LiteLLM writes and reads them.

Keys LiteLLM created authenticate; allow-lists, expiry, blocking and budgets (the key's budget tier,
an end user's) hold; spend, spend-log and daily rows appear where LiteLLM reads them; a key
Switchyard generates reads through LiteLLM's key lookup; a budget resets on budget_reset_at.

    scripts/litellm_db_e2e.py [path/to/switchyard]
Needs SWITCHYARD_TEST_POSTGRES_URL (a server) and optionally SWITCHYARD_TEST_LITELLM_URL (the
template database scripts/litellm-schema.sh made; made here when absent).
"""
import hashlib
import json
import os
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from http.server import ThreadingHTTPServer

from keys_e2e import COMPLETION, COST, MASTER, PROMPT, Gateway, Upstream, call

import openai

HERE = os.path.dirname(os.path.abspath(__file__))


def sha256(key):
    return hashlib.sha256(key.encode()).hexdigest()


def psql(url, sql):
    """Runs SQL with psql; returns the rows as lists of strings."""
    out = subprocess.run(["psql", url, "-X", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", sql],
                         capture_output=True, text=True, check=True).stdout
    return [line.split("\t") for line in out.splitlines() if line]


def with_database(url, name):
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


def fresh_litellm_database(server):
    template = os.environ.get("SWITCHYARD_TEST_LITELLM_URL") or subprocess.run(
        [os.path.join(HERE, "litellm-schema.sh"), server], capture_output=True, text=True, check=True).stdout.strip()
    name = "switchyard_litellm_e2e_" + uuid.uuid4().hex[:12]
    template_name = urllib.parse.urlsplit(template).path.lstrip("/")
    psql(server, f'CREATE DATABASE {name} TEMPLATE "{template_name}"')
    return with_database(server, name)


# Rows as LiteLLM's /budget/new, /team/new, /user/new, /customer/new and /key/generate write them.
SEED = """
INSERT INTO "LiteLLM_BudgetTable" (budget_id, max_budget, created_by, updated_by)
  VALUES ('tier-5usd', 5.0, 'default_user_id', 'default_user_id'), ('tier-1usd', 1.0, 'default_user_id', 'default_user_id');
INSERT INTO "LiteLLM_TeamTable" (team_id, team_alias, admins, members, members_with_roles, metadata, spend, models, blocked)
  VALUES ('team-1', 'search', '{}', '{user-1}', '[{"role": "user", "user_id": "user-1"}]', '{}', 0, '{priced}', false);
INSERT INTO "LiteLLM_UserTable" (user_id, user_role, spend, models, metadata, teams)
  VALUES ('user-1', 'internal_user', 0, '{}', '{}', '{team-1}');
INSERT INTO "LiteLLM_EndUserTable" (user_id, spend, budget_id, blocked) VALUES ('cust-over', 3.0, 'tier-1usd', false);
"""


def litellm_key(url, secret, alias, models="{priced}", expires="NULL", blocked="NULL", budget_id="NULL", duration="NULL", reset="NULL"):
    psql(url, f"""
INSERT INTO "LiteLLM_VerificationToken" (token, key_name, key_alias, expires, models, aliases, config, spend, user_id, team_id,
  metadata, budget_duration, budget_reset_at, allowed_cache_controls, permissions, model_max_budget, budget_id, blocked,
  created_by, updated_by)
VALUES ('{sha256(secret)}', 'sk-...{secret[-4:]}', '{alias}', {expires}, '{models}', '{{}}', '{{}}', 0, 'user-1', 'team-1',
  '{{}}', {duration}, {reset}, '{{}}', '{{}}', '{{}}', {budget_id}, {blocked}, 'default_user_id', 'default_user_id')""")


def litellm_gateway(binary, database_url, upstream):
    """The binary serving a LiteLLM config.yaml whose database_url is `database_url`."""
    return Gateway(binary, database_url, upstream, config=f"""
model_list:
  - model_name: priced
    litellm_params:
      model: openai/m
      api_base: {upstream}/v1
      api_key: sk-upstream
      input_cost_per_token: 0.001
      output_cost_per_token: 0.002
general_settings:
  master_key: {MASTER}
  database_url: "{database_url}"
""")


def status_of(client, **extra):
    try:
        client.chat.completions.create(model="priced", messages=[{"role": "user", "content": "hello"}], **extra)
        return 200
    except openai.APIStatusError as error:
        return error.status_code


def wait_for(check, what, seconds=5):
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def run(binary, upstream, server):
    url = fresh_litellm_database(server)
    psql(url, SEED)
    good, expired, blocked, narrow = "sk-litellm-good-0001", "sk-litellm-expired-02", "sk-litellm-blocked-03", "sk-litellm-narrow-04"
    litellm_key(url, good, "good", budget_id="'tier-5usd'", duration="'30d'", reset="'2030-01-01 00:00:00'")
    litellm_key(url, expired, "expired", expires="'2020-01-01 00:00:00'")
    litellm_key(url, blocked, "blocked", blocked="true")
    litellm_key(url, narrow, "narrow", models="{other-model}")

    gateway = litellm_gateway(binary, url, upstream)
    try:
        def client(key):
            return openai.OpenAI(base_url=gateway.base + "/v1", api_key=key, max_retries=0)

        reply = client(good).chat.completions.create(model="priced", messages=[{"role": "user", "content": "hello"}])
        assert reply.choices[0].message.content == "hi"
        chunks = list(client(good).chat.completions.create(model="priced", messages=[{"role": "user", "content": "hello"}], stream=True))
        assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "hi"
        assert status_of(client(expired)) == 401
        assert status_of(client(blocked)) == 401
        assert status_of(client(narrow)) == 401, "the key's models allow only other-model"
        assert status_of(client("sk-never-issued")) == 401
        assert status_of(client(good), user="cust-over") == 422, "the end user's budget tier (1 USD) is spent"
        # The budget tier allows 5 USD; each request costs 2: the third is admitted (spend 4 < 5), the fourth is not.
        assert status_of(client(good)) == 200
        assert status_of(client(good)) == 422
        print("LiteLLM db e2e: LiteLLM's keys authenticate; expired, blocked, unknown 401; allow-list 401; key tier and end-user budgets 422")

        token = sha256(good)
        spend = wait_for(lambda: (lambda rows: rows and abs(float(rows[0][0]) - 3 * COST) < 1e-9 and rows)(
            psql(url, f"""SELECT spend FROM "LiteLLM_VerificationToken" WHERE token = '{token}'""")), "the key's spend")
        assert spend
        team, user, member = psql(url, """SELECT (SELECT spend FROM "LiteLLM_TeamTable"), (SELECT spend FROM "LiteLLM_UserTable"),
            (SELECT spend FROM "LiteLLM_TeamMembership" WHERE user_id = 'user-1' AND team_id = 'team-1')""")[0]
        assert abs(float(team) - 3 * COST) < 1e-9 and abs(float(user) - 3 * COST) < 1e-9 and abs(float(member) - 3 * COST) < 1e-9
        logs = psql(url, f"""SELECT call_type, "user", team_id, status, total_tokens, model_group, custom_llm_provider
            FROM "LiteLLM_SpendLogs" WHERE api_key = '{token}' AND spend > 0""")
        assert len(logs) == 3 and all(row == ["acompletion", "user-1", "team-1", "success", str(PROMPT + COMPLETION), "priced", "openai"]
                                      for row in logs), logs
        # LiteLLM's usage page totals (its daily table) agree with its spend logs.
        daily = psql(url, f"""SELECT SUM(spend), SUM(api_requests), SUM(prompt_tokens) FROM "LiteLLM_DailyUserSpend"
            WHERE user_id = 'user-1' AND api_key = '{token}'""")[0]
        logged = psql(url, f"""SELECT SUM(spend), COUNT(*), SUM(prompt_tokens) FROM "LiteLLM_SpendLogs" WHERE api_key = '{token}'""")[0]
        assert abs(float(daily[0]) - float(logged[0])) < 1e-9 and daily[1] == logged[1] and daily[2] == logged[2], (daily, logged)
        print(f"LiteLLM db e2e: {3 * COST} charged to key, team, user and membership; {logged[1]} spend-log rows; daily table agrees")

        status, created = call(gateway.base, "POST", "/key/generate", {"key_alias": "made-by-switchyard", "team_id": "team-1", "models": ["priced"],
                                                                      "max_budget": 50, "metadata": {"owner": "e2e"}})
        assert status == 200, created
        view = psql(url, f"""SELECT row_to_json(v)::text FROM "LiteLLM_VerificationToken" v WHERE token = '{sha256(created["key"])}'""")
        row = json.loads(view[0][0])
        assert row["key_alias"] == "made-by-switchyard" and row["models"] == ["priced"] and row["max_budget"] == 50, row
        assert row["team_id"] == "team-1" and row["metadata"] == {"owner": "e2e"} and row["created_by"] == "default_user_id", row
        assert status_of(client(created["key"])) == 200
        print("LiteLLM db e2e: a key from Switchyard's /key/generate is a LiteLLM row and works")
    finally:
        gateway.stop()

    # The key's period ended while the gateway was down: the next start resets it (LiteLLM's reset job does the same).
    psql(url, f"""UPDATE "LiteLLM_VerificationToken" SET budget_reset_at = '2020-01-01 00:00:00' WHERE token = '{sha256(good)}'""")
    gateway = litellm_gateway(binary, url, upstream)
    try:
        wait_for(lambda: psql(url, f"""SELECT spend = 0 AND budget_reset_at > now() FROM "LiteLLM_VerificationToken"
            WHERE token = '{sha256(good)}'""")[0][0] == "t", "the budget reset")
        assert status_of(openai.OpenAI(base_url=gateway.base + "/v1", api_key=good, max_retries=0)) == 200
        print("LiteLLM db e2e: budget reset on budget_reset_at; the key is served again")
    finally:
        gateway.stop()


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/switchyard"
    server_url = os.environ.get("SWITCHYARD_TEST_POSTGRES_URL")
    if not server_url:
        print("LiteLLM database e2e SKIPPED: SWITCHYARD_TEST_POSTGRES_URL is not set")
        return
    server = ThreadingHTTPServer(("127.0.0.1", 0), Upstream)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        run(binary, f"http://127.0.0.1:{server.server_address[1]}", server_url)
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
