"""The MO register (паспорт системы здравоохранения): territories of the region, the structure
of each MO (branches, departments, rooms, licenses, service areas), its equipment, and the
equipping standards with the need for equipment that follows from them."""
