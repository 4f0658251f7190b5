"""The cluster layout (`python -m bot cluster`) through its load balancer: HAProxy in front of two web
apps, two Rasa servers and two action servers on PostgreSQL and Redis. One stack for the module
(tests/cluster_stack.py); part of the normal pytest run (marker `cluster`)."""
from __future__ import annotations

import aiohttp
import pytest

from tests.cluster_stack import start_cluster
from tests.livestack import responses
from tests.ws_client import widget_client

pytestmark = pytest.mark.cluster

QUESTIONS = {
    "fi": ("Miten perustan oman yrityksen?", "utter_start_business"),
    "sv": ("Var kan mitt företag få finansiering?", "utter_funding"),
    "en": ("Can we get a pay subsidy for hiring an unemployed person?", "utter_pay_subsidy"),
}


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    yield from start_cluster(tmp_path_factory.mktemp("cluster"))


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
async def test_a_chat_in_each_language_through_the_balancer(cluster, language):
    question, answer = QUESTIONS[language]
    async with aiohttp.ClientSession() as http:
        # The widget's WebSocket passes through HAProxy to either web app.
        async with widget_client(http, cluster.ws_url, cluster.web_url, language) as client:
            await client.hello(language=language)
            reply = await client.say(question)
            assert reply["messages"][0]["text"] in responses(language)[answer], cluster.logs()[-3000:]
            assert reply.get("language", language) == language
            token = client.conversation
        # The same conversation goes on over the chat API (the balancer picks an instance for each request).
        for _ in range(2):
            async with http.post(f"{cluster.web_url}/api/messages", json={
                "conversation": token, "text": question, "language": language,
            }, headers={"Origin": cluster.web_url}) as response:
                body = await response.json()
            assert response.status == 200, body
            assert body["messages"][0]["text"] in responses(language)[answer]
