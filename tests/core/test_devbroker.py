from __future__ import annotations

from pathlib import Path

from edgarmon.devbroker import broker


def test_cluster_ids_are_22_url_safe_characters_never_starting_with_a_dash() -> None:
    for _ in range(200):
        cluster_id = broker.new_cluster_id()
        assert len(cluster_id) == 22
        assert not cluster_id.startswith("-")
        assert set(cluster_id) <= set(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        )


def test_server_properties_describe_a_fast_single_node_kraft_broker(tmp_path: Path) -> None:
    text = broker.server_properties(data_dir=tmp_path, port=19092, controller_port=19093)
    props = dict(line.split("=", 1) for line in text.splitlines())
    assert props["process.roles"] == "broker,controller"
    assert props["listeners"] == "PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093"
    assert props["controller.quorum.bootstrap.servers"] == "127.0.0.1:19093"
    assert "controller.quorum.voters" not in props  # --standalone refuses it
    assert props["group.initial.rebalance.delay.ms"] == "0"
    assert props["offsets.topic.num.partitions"] == "1"
    assert props["transaction.state.log.num.partitions"] == "1"
    assert props["log.dirs"] == str(tmp_path / "logs")
