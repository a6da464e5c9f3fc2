import pytest
from django.contrib.auth.models import User

from jobledger.core.models import CompanySettings
from jobledger.core.roles import ADMINISTRATOR, FIELD, PROJECT_MANAGER
from tests.factories import JobFactory, UserFactory


@pytest.fixture
def company(db: None) -> CompanySettings:
    return CompanySettings.load()


@pytest.fixture
def administrator(db: None) -> User:
    return UserFactory(username="admin", role=ADMINISTRATOR)


@pytest.fixture
def project_manager(db: None) -> User:
    return UserFactory(username="pm", role=PROJECT_MANAGER)


@pytest.fixture
def other_project_manager(db: None) -> User:
    return UserFactory(username="pm2", role=PROJECT_MANAGER)


@pytest.fixture
def field_user(db: None) -> User:
    return UserFactory(username="field", role=FIELD)


@pytest.fixture
def outsider(db: None) -> User:
    return UserFactory(username="outsider")


@pytest.fixture
def job(project_manager: User):
    return JobFactory(project_manager=project_manager)
