"""Which pharmacies serve the benefit prescriptions of an MO's patients (прикрепление аптек к
МО): the list of pharmacies with their MOs and stock, and an MO's pharmacies, set as a whole
by the fund or the health authority."""
