from oms_kit.migrations import run_env
from registry.models import Base

run_env(Base.metadata)
