from oms_kit.migrations import run_env
from verification.models import Base

run_env(Base.metadata)
