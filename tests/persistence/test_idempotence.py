"""Running every tenant's script a second time changes nothing on the server."""


def test_postgres_database_per_tenant_second_run_changes_nothing(postgres):
    assert postgres.first == postgres.second
    assert "shop_a_app" in postgres.first and "db_shop1a" in postgres.first


def test_postgres_schema_per_tenant_second_run_changes_nothing(postgres_schema):
    assert postgres_schema.first == postgres_schema.second
    assert "tenant_team1a" in postgres_schema.first


def test_mysql_second_run_changes_nothing(mysql):
    assert mysql.first == mysql.second
    assert "db\\\\_shop\\\\_a" in mysql.first or "db\\_shop\\_a" in mysql.first


def test_redis_second_run_changes_nothing(redis_tenants):
    assert redis_tenants.first == redis_tenants.second
    assert "user shop-a on" in redis_tenants.first
