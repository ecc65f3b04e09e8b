from gateway.models import Base
from oms_kit.migrations import run_env

run_env(Base.metadata)
