from oms_kit.migrations import run_env
from pharmacy.models import Base

run_env(Base.metadata)
